#!/bin/sh
# /usr/bin/edgectl: runs the framework-dependent edgectl (/usr/lib/edge-agent/edgectl.dll) on the .NET runtime.
# The runtime: dotnet in DOTNET_ROOT, which defaults to /usr/share/dotnet where README's install step puts it (a
# login shell need not have that on PATH), else `dotnet` on PATH. Without one it says so and exits 2, edgectl's
# usage-or-setup error.

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

root=${DOTNET_ROOT:-/usr/share/dotnet}
if [ -x "$root/dotnet" ]; then
    exec "$root/dotnet" "$lib/edgectl.dll" "$@"
fi
if dotnet=$(command -v dotnet); then
    exec "$dotnet" "$lib/edgectl.dll" "$@"
fi

echo "edgectl: the .NET 10 runtime (Microsoft.NETCore.App 10.0) is missing: no dotnet in $root (DOTNET_ROOT, default /usr/share/dotnet) nor on PATH ($PATH)." >&2
echo "edgectl: install it as README.md says under \"Install on a Raspberry Pi\", step 1 (/usr/share/doc/edge-agent/README.md):" >&2
echo "edgectl:   curl -sSL https://dot.net/v1/dotnet-install.sh | sudo bash -s -- --channel 10.0 --runtime dotnet --install-dir /usr/share/dotnet" >&2
exit 2
