#!/bin/sh
# /usr/bin/edge-agent: runs the framework-dependent edge-agent (/usr/lib/edge-agent/EdgeAgent.dll) on the .NET
# runtime, which no Debian or Raspberry Pi OS package carries. Without one it says so and exits 2 (a setup
# error: the unit's RestartPreventExitStatus=2 keeps systemd from restarting it for ever).
# The runtime: $DOTNET_ROOT/dotnet when DOTNET_ROOT is set and holds one (the unit sets /usr/share/dotnet,
# where README's install step puts it), else `dotnet` on PATH.

# The library directory beside this script's own directory (../lib/edge-agent), following a symbolic link to it.
self=$0
if target=$(readlink -f -- "$0" 2>/dev/null); then
    self=$target
fi
case $self in
    */*) bin=${self%/*} ;;
    *) bin=. ;;
esac
lib=${bin%/bin}/lib/edge-agent
[ "$bin" = "${bin%/bin}" ] && lib=/usr/lib/edge-agent

if [ -n "${DOTNET_ROOT:-}" ] && [ -x "$DOTNET_ROOT/dotnet" ]; then
    exec "$DOTNET_ROOT/dotnet" "$lib/EdgeAgent.dll" "$@"
fi
if dotnet=$(command -v dotnet); then
    exec "$dotnet" "$lib/EdgeAgent.dll" "$@"
fi

echo "edge-agent: the .NET 10 runtime (Microsoft.NETCore.App 10.0) is missing: no dotnet in DOTNET_ROOT (${DOTNET_ROOT:-not set}) nor on PATH ($PATH)." >&2
echo "edge-agent: install it as README.md says under \"Install on a Raspberry Pi\", step 1 (/usr/share/doc/edge-agent/README.md):" >&2
echo "edge-agent:   curl -sSL https://dot.net/v1/dotnet-install.sh | sudo bash -s -- --channel 10.0 --runtime dotnet --install-dir /usr/share/dotnet" >&2
echo "edge-agent: or set DOTNET_ROOT to the directory that holds dotnet (for the service: systemctl edit edge-agent, [Service] Environment=DOTNET_ROOT=...)." >&2
exit 2
