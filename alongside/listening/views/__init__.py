"""Listening pages, one module per part: exercises, contributions (capture, import, review),
themes, reports. Views stay thin: they ask the policy, call a service or selector, render."""
