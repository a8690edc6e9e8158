"""Excel import of organizations, members and ratings: templates, check (preview), confirm, import job."""
