"""Lived-experience feedback analysis: the product's brain. Pure Python; never imports streamlit."""
