"""The performance suite behind `trellis bench` / `make bench`.

Each figure is named as in contracts/cli.md and, where one exists, is measured beside its
plain baseline in the same run. Figures register themselves with `@figure`.
"""
