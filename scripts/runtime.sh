# Sourced by setup.sh, test.sh and start.sh: the Node.js runtime the project runs and ships.
# It is the npm registry's platform package node-linux-<cpu>, pinned in package.json's
# optionalDependencies (npm installs the one for this machine) and used for the tests, the
# simulator and the native addons' ABI, so what is tested is what releases carry
# (docs/raspberry-pi.md "Runtime"). Sets KAO_CPU, KAO_RUNTIME_DIR and KAO_NODE.
case "$(uname -m)" in
  x86_64 | amd64) KAO_CPU=x64 ;;
  aarch64 | arm64) KAO_CPU=arm64 ;;
  *) echo "kaoreader: unsupported machine $(uname -m) (linux-x64 and linux-arm64 only)" >&2; return 1 ;;
esac
KAO_RUNTIME_DIR="$PWD/node_modules/node-linux-$KAO_CPU"
KAO_NODE="$KAO_RUNTIME_DIR/bin/node"
export KAO_CPU KAO_RUNTIME_DIR KAO_NODE
