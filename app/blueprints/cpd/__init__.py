"""CPD sponsorship: budgets, requests and approvals, CPD records, exports."""
