"""The officers' audit trail as a hash chain: appending (`append`), the checkpoints retention
leaves (`retention`), checking the chain (`verify`), publishing its head (`head`) and the
`contactpoint audit` command (`command`). What an entry's hash covers is in `chain`; what
the chain proves, and what it does not, is in docs/security.md."""
