"""Meanings shared by every layer: columns and labels, agencies, dates as written in Taiwan, star levels."""
