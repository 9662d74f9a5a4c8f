"""Jinja2 templates for the LLM coder, shipped as package data."""
