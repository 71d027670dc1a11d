// Verify a credential file with Digital Bazaar's VC libraries, fully offline.
//
// usage: node verify-credential.mjs CREDENTIAL.json [DOCUMENTS.json]
//   DOCUMENTS.json maps extra URLs (DID documents, verification methods) to JSON documents.
// Contexts come from Credwork's bundled set (app/openbadges/contexts/manifest.json), so a
// pass here means an independent JSON-LD + Data Integrity implementation agrees with ours.
// Prints one JSON line {"verified": bool, "errors": [...]} and exits 0 only when verified.
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as rdfcSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {createVerifyCryptosuite as jcsVerifySuite} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';

const here = dirname(fileURLToPath(import.meta.url));
const contextsDir = join(here, '..', '..', 'app', 'openbadges', 'contexts');
const manifest = JSON.parse(readFileSync(join(contextsDir, 'manifest.json'), 'utf8'));

const documents = new Map();
for(const entry of manifest.contexts) {
  documents.set(entry.url, JSON.parse(readFileSync(join(contextsDir, entry.file), 'utf8')));
}

const [credentialPath, documentsPath] = process.argv.slice(2);
if(!credentialPath) {
  console.error('usage: node verify-credential.mjs CREDENTIAL.json [DOCUMENTS.json]');
  process.exit(2);
}
if(documentsPath) {
  for(const [url, doc] of Object.entries(JSON.parse(readFileSync(documentsPath, 'utf8')))) {
    documents.set(url, doc);
  }
}

async function documentLoader(url) {
  if(documents.has(url)) {
    return {contextUrl: null, documentUrl: url, document: structuredClone(documents.get(url))};
  }
  // Offline on purpose: anything not bundled or supplied is an error, never a fetch.
  throw new Error(`document not available offline: ${url}`);
}

const credential = JSON.parse(readFileSync(credentialPath, 'utf8'));
const proofs = [].concat(credential.proof || []);
const suites = proofs.map(proof => new DataIntegrityProof({
  cryptosuite: proof.cryptosuite === 'eddsa-jcs-2022' ? jcsVerifySuite() : rdfcSuite
}));

const result = await vc.verifyCredential({
  credential,
  suite: suites,
  documentLoader,
  // Revocation is checked by Credwork's own tests; here we only compare signatures.
  checkStatus: async () => ({verified: true})
});

const errors = [];
for(const r of result.results || []) {
  if(r.error) {
    errors.push(String(r.error.message || r.error));
  }
}
if(result.error) {
  for(const e of [].concat(result.error.errors || result.error)) {
    errors.push(String(e.message || e));
  }
}
console.log(JSON.stringify({verified: result.verified === true, errors}));
process.exit(result.verified === true ? 0 : 1);
