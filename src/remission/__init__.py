"""Remission: an open platform for early-phase CAR cell-therapy trials in autoimmune disease."""
