"""Operating the installation: backup and restore of the PostgreSQL database."""
