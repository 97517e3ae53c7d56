"""The GraphQL schema (strawberry): queries, mutations and subscriptions over the ledger."""
