"""What happens to a file with findings: alerts, quarantine, and the policy that decides."""
