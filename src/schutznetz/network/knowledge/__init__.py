"""The knowledge base: articles in versions for audiences, attachments, German full-text search."""
