#!/usr/bin/env bash
# Re-runs every generator/checker under tests/vectors (python3-cryptography / openssl CLI) and the
# format check. Deterministic generators must reproduce the committed .vec files byte for byte.
# ecdsa/gen_openssl_ecdsa.sh makes fresh keys, so it only runs with --with-ecdsa.
set -euo pipefail
cd "$(dirname "$0")"
export PYTHONDONTWRITEBYTECODE=1
PY=/usr/bin/python3
for g in cmac aes sha256 x963kdf ecdh eid iccid scp03_kdf des gp_cert; do
  "$PY" "$g.py"
done
if [ "${1:-}" = --with-ecdsa ]; then ../ecdsa/gen_openssl_ecdsa.sh; fi
"$PY" milenage_check.py
"$PY" ecdsa_check.py
"$PY" check_format.py
