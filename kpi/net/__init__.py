"""Everything that reaches the network: address limits, fetching inputs, checking links."""
