"""What USPTO grant and application XML share: the document envelope and the ICE v4 address
book, classification and document-id structures."""
