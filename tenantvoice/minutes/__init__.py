"""Minutes (procès-verbaux): drafting, approval, signatures, publication, versions, search."""
