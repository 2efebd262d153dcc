"""The app side of the boundary: cached loaders, shared widgets, chart+table rendering."""
