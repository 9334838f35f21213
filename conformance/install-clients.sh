#!/usr/bin/env bash
# Installs the Debian S3 clients the conformance suite drives (aws cli v2, rclone, s3cmd) when
# one is missing. Best effort: without them the suite skips those clients and says why.
set -uo pipefail

have_v2() { /usr/bin/aws --version 2>&1 | grep -q '^aws-cli/2\.'; }
if have_v2 && command -v rclone >/dev/null && command -v s3cmd >/dev/null; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "conformance: cannot install awscli, rclone, s3cmd (needs root and apt-get); those clients will be skipped" >&2
  exit 0
fi
echo "conformance: installing awscli, rclone, s3cmd" >&2
{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q awscli rclone s3cmd; } >/dev/null 2>&1 \
  || echo "conformance: apt-get install failed; the missing clients will be skipped" >&2
exit 0
