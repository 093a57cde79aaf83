"""Acting for companies: who may (the company register's signatories, and the powers of
attorney they give), the company's cases and its log, its API and its pages."""
