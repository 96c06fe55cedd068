"""Privacy a person exercises alone (Québec Law 25, issue 15): leaving and being forgotten
(`forget`), the incident register and the small-cell alert (`incidents`)."""
