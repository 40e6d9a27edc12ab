"""Sanlian (三链): the public service platform of an industrial cluster."""
