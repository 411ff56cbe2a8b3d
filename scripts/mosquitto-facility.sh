#!/usr/bin/env bash
# Generates a working mosquitto config for a facility broker: TLS with client certificates from
# the facility CA (require_certificate, use_identity_as_username, CRL) and per-reader ACLs.
#   scripts/mosquitto-facility.sh --ca var/facility-ca --out /etc/mosquitto/conf.d/kaoreader [--port 8883]
# Create the CA first: kaoreader facility init-ca --dir var/facility-ca --facility-id ID --broker-url mqtts://HOST:8883
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/runtime.sh
exec "$KAO_NODE" bin/kaoreader.js facility broker-config "$@"
