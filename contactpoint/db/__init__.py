"""The database: models, migrations, the workflows' Store and its statements,
status reads, personal data sealed at rest."""
