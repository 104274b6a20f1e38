"""Benchmarks and corpus tools: synthetic vaults, parse timings, real-vault statistics."""
