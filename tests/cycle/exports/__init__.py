"""Tests of the exports: every file opened by an independent reader."""
