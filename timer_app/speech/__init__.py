"""Spoken cues and tones."""
