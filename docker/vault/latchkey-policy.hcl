# What Latchkey does with its Transit key (@KEY@ is its name): read its versions, create it when
# it is missing, wrap, unwrap and rewrap data keys, and rotate it (POST /v1/admin/keys/rotate).
path "transit/keys/@KEY@" {
  capabilities = ["read", "create", "update"]
}
path "transit/keys/@KEY@/rotate" {
  capabilities = ["update"]
}
path "transit/encrypt/@KEY@" {
  capabilities = ["update"]
}
path "transit/decrypt/@KEY@" {
  capabilities = ["update"]
}
path "transit/rewrap/@KEY@" {
  capabilities = ["update"]
}
