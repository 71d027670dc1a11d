// Verify a VC-JWT with panva's `jose` library, given the issuer's public JWK.
//
// usage: node verify-jwt.mjs TOKEN_FILE JWK_FILE
// Prints one JSON line {"verified": bool, "header": {...}, "error": "..."}; exit 0 only when verified.
import {readFileSync} from 'node:fs';
import {compactVerify, importJWK} from 'jose';

const [tokenPath, jwkPath] = process.argv.slice(2);
const token = readFileSync(tokenPath, 'utf8').trim();
const jwk = JSON.parse(readFileSync(jwkPath, 'utf8'));
try {
  const key = await importJWK(jwk, 'EdDSA');
  const {protectedHeader, payload} = await compactVerify(token, key, {algorithms: ['EdDSA']});
  const claims = JSON.parse(new TextDecoder().decode(payload));
  console.log(JSON.stringify({verified: true, header: protectedHeader, issuer: claims.issuer?.id ?? claims.issuer}));
} catch(e) {
  console.log(JSON.stringify({verified: false, error: String(e.code || e.message)}));
  process.exit(1);
}
