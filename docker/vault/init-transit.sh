#!/bin/sh
# docker-compose's Vault set-up, after every start of the dev server (which keeps everything in
# memory): the Transit engine, Latchkey's key-encryption key, a policy that allows only what
# Latchkey does with that key, and Latchkey's own token with that policy. Idempotent.
set -eu
key="${LATCHKEY_CRYPTO_VAULT_KEY_NAME:-latchkey}"
vault secrets list | grep -q '^transit/' || vault secrets enable transit
vault read "transit/keys/$key" >/dev/null 2>&1 || vault write -f "transit/keys/$key" type=aes256-gcm96
sed "s/@KEY@/$key/g" /latchkey/latchkey-policy.hcl | vault policy write latchkey -
vault token lookup "$LATCHKEY_CRYPTO_VAULT_TOKEN" >/dev/null 2>&1 \
  || vault token create -id="$LATCHKEY_CRYPTO_VAULT_TOKEN" -policy=latchkey -no-default-policy -orphan -ttl=768h >/dev/null
echo "Vault: Transit key '$key', policy 'latchkey' and Latchkey's token are ready"
