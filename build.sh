#!/usr/bin/env bash
# edge-agent's one entry point: set-up, build, run, test, bench.
#   ./build.sh run [ARGS...]   set up, build, run edge-agent with ARGS (none: the demo, with a local mosquitto)
#   ./build.sh test            set up, build, run every test
#   ./build.sh bench [SECTION] set up, build, run the benchmarks (all, or pipeline, outbox, sensors, updates) and print their tables
#   ./build.sh publish RID     framework-dependent build for linux-arm64 or linux-x64 in dist/RID/
#   ./build.sh deb ARCH        dist/edge-agent_VERSION_ARCH.deb for arm64 or amd64
# Set-up is idempotent and quiet when nothing is missing; a second run makes no network call.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ORT_DIR="$ROOT/.ort"
SHARED_MODELS="${EDGEAGENT_SHARED_MODELS:-$ROOT/../shared/models}"
CONFIGURATION=Release

# Debian packages the build, the tests and the benchmarks use.
DEBIAN_PACKAGES=(ffmpeg mosquitto mosquitto-clients libmosquitto1 openssl python3-onnx python3-numpy nodejs
  systemd init-system-helpers passwd lintian)

# The pinned ONNX Runtime (../shared/reference/onnxruntime-c-api.md, sections 1.1, 1.2 and 1.4).
ORT_VERSION=1.30.0
ORT_TGZ_SHA256=6e3390d6b783e7be946fad629292799da28d0b42f84856e50d2c1b0383291e75
ORT_X64_SHA256=ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23
ORT_ARM64_SHA256=1f549d46250b005580b597f4164984aaf75b3bcb9f3aeb07c7f8a8fe60b23c76
ORT_COMPAT_VERSION=1.23.2
ORT_COMPAT_TGZ_SHA256=fe70e8de46560c57c2dfb7170770da32dbb21684504a5c904346c44a56e154f2
ORT_COMPAT_X64_SHA256=733854c3d7ce45256cc1c22cd4a30373247e1f7b7de8f40beab24211ef8e2a76
ORT_COMPAT_ARM64_SHA256=648ffa64fbe027ae27139109410900cf776a030dec2dbbac51053318cc44c286
# onnxruntime-node's JavaScript needs this package; the benchmark runs it as the peer binding.
ORT_COMMON_TGZ_SHA256=7906c439e0d3e0f4048caa23b64cdfadc0f455c377f579ce1ab2a4b778f07d5f

say() { printf 'build.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# verify_sha256 FILE EXPECTED: stops with both hashes when they differ.
verify_sha256() {
  local file=$1 expected=$2 actual
  actual=$(sha256sum "$file" | cut -d' ' -f1)
  if [ "$actual" != "$expected" ]; then
    say "checksum mismatch for $(basename "$file") ($file)"
    say "  expected sha256 $expected"
    say "  actual   sha256 $actual"
    return 1
  fi
}

install_debian_packages() {
  local missing=() package
  for package in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

command -v dotnet >/dev/null || die "the .NET 10 SDK is missing: install it (https://learn.microsoft.com/dotnet/core/install/linux-debian) and run again"

# fetch_ort VERSION TGZ_SHA X64_SHA ARM64_SHA: .ort/VERSION/linux-{x64,arm64}/libonnxruntime.so.1, verified.
fetch_ort() {
  local version=$1 tgz_sha=$2 x64_sha=$3 arm64_sha=$4
  local dest="$ORT_DIR/$version" stamp="$ORT_DIR/$version/.verified"
  local want="$tgz_sha $x64_sha $arm64_sha"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
     && [ -f "$dest/linux-x64/libonnxruntime.so.1" ] && [ -f "$dest/linux-arm64/libonnxruntime.so.1" ]; then
    return 0
  fi
  say "fetching onnxruntime-node@$version (npm pack, no install scripts)"
  local scratch="$ORT_DIR/.scratch"
  rm -rf "$scratch" && mkdir -p "$scratch"
  (cd "$scratch" && npm pack "onnxruntime-node@$version" --ignore-scripts --silent >/dev/null 2>&1) \
    || die "npm pack onnxruntime-node@$version failed: is the npm registry reachable?"
  local tgz="$scratch/onnxruntime-node-$version.tgz"
  verify_sha256 "$tgz" "$tgz_sha" || die "refusing an unverified ONNX Runtime download"
  tar -xzf "$tgz" -C "$scratch" package/bin/napi-v6/linux package/dist package/package.json
  local bin="$scratch/package/bin/napi-v6/linux"
  verify_sha256 "$bin/x64/libonnxruntime.so.1" "$x64_sha" || die "refusing an unverified ONNX Runtime library"
  verify_sha256 "$bin/arm64/libonnxruntime.so.1" "$arm64_sha" || die "refusing an unverified ONNX Runtime library"
  rm -rf "$dest"
  mkdir -p "$dest/linux-x64" "$dest/linux-arm64"
  cp "$bin/x64/libonnxruntime.so.1" "$dest/linux-x64/"
  cp "$bin/arm64/libonnxruntime.so.1" "$dest/linux-arm64/"
  if [ "$version" = "$ORT_VERSION" ]; then
    # The Node package beside it, for the benchmark's peer binding of the same library.
    mkdir -p "$dest/node_modules/onnxruntime-node" "$dest/node_modules/onnxruntime-common"
    cp -r "$scratch/package/dist" "$scratch/package/package.json" "$dest/node_modules/onnxruntime-node/"
    mkdir -p "$dest/node_modules/onnxruntime-node/bin/napi-v6/linux"
    cp -r "$bin/x64" "$dest/node_modules/onnxruntime-node/bin/napi-v6/linux/"
    (cd "$scratch" && npm pack "onnxruntime-common@$version" --ignore-scripts --silent >/dev/null 2>&1) \
      || die "npm pack onnxruntime-common@$version failed: is the npm registry reachable?"
    verify_sha256 "$scratch/onnxruntime-common-$version.tgz" "$ORT_COMMON_TGZ_SHA256" || die "refusing an unverified onnxruntime-common"
    tar -xzf "$scratch/onnxruntime-common-$version.tgz" -C "$dest/node_modules/onnxruntime-common" --strip-components=1
  fi
  rm -rf "$scratch"
  echo "$want" > "$stamp"
}

setup() {
  install_debian_packages
  fetch_ort "$ORT_VERSION" "$ORT_TGZ_SHA256" "$ORT_X64_SHA256" "$ORT_ARM64_SHA256"
  fetch_ort "$ORT_COMPAT_VERSION" "$ORT_COMPAT_TGZ_SHA256" "$ORT_COMPAT_X64_SHA256" "$ORT_COMPAT_ARM64_SHA256"
  [ -d "$SHARED_MODELS" ] || die "the shared models are missing at $SHARED_MODELS (set EDGEAGENT_SHARED_MODELS)"
  export EDGEAGENT_SHARED_MODELS="$SHARED_MODELS"
}

build() {
  dotnet build "$ROOT/edge-agent.sln" -c "$CONFIGURATION" -nologo -clp:ErrorsOnly -v:q
}

run_tests() {
  local results="$ROOT/artifacts/test-results"
  rm -rf "$results"
  local status=0
  dotnet test "$ROOT/edge-agent.sln" -c "$CONFIGURATION" --no-build -nologo \
    --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" || status=$?
  # One closing line over every test project: "N passed, N failed, N skipped".
  python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed")); failed += int(c.get("failed")) + int(c.get("error")) + int(c.get("timeout"))
    skipped += int(c.get("notExecuted"))
print(f"Tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
  return $status
}

# The version of every assembly and of the package (Directory.Build.props).
product_version() {
  sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$ROOT/Directory.Build.props" | head -n 1
}

# publish RID: dist/RID/, a framework-dependent build without an apphost (`dotnet EdgeAgent.dll`, `dotnet
# edgectl.dll`) and that architecture's pinned libonnxruntime.so.1. Intermediate files go to
# artifacts/publish/RID, apart from bin/ and obj/ of the everyday build.
publish() {
  local rid=${1:-}
  case "$rid" in
    linux-arm64|linux-x64) ;;
    *) say "publish needs linux-arm64 or linux-x64, not '${rid}'"; exit 2 ;;
  esac
  local out="$ROOT/dist/$rid" library="$ORT_DIR/$ORT_VERSION/$rid/libonnxruntime.so.1"
  rm -rf "$out"
  local project
  # edgectl beside the daemon: the same shared assemblies, its own edgectl.dll, runtimeconfig and deps.
  for project in EdgeAgent/EdgeAgent.csproj EdgeCtl/EdgeCtl.csproj; do
    dotnet publish "$ROOT/src/$project" -c "$CONFIGURATION" -nologo -v:q -clp:ErrorsOnly \
      --artifacts-path "$ROOT/artifacts/publish/$rid" -o "$out" -p:UseAppHost=false -p:OrtHostArch="$rid" >&2
  done
  # Windows-only assets (System.Diagnostics.EventLog's) that a portable publish carries and Linux never loads.
  rm -rf "$out"/runtimes/win*
  rmdir --ignore-fail-on-non-empty "$out/runtimes" 2>/dev/null || true
  cp "$library" "$out/libonnxruntime.so.1"
  cmp -s "$library" "$out/libonnxruntime.so.1" || die "the $rid ONNX Runtime library did not reach $out"
  [ ! -e "$out/EdgeAgent" ] && [ ! -e "$out/edgectl" ] || die "publish left an apphost in $out"
  say "published $rid to $out"
}

# deb ARCH: dist/edge-agent_VERSION_ARCH.deb (CONTRACT.md section 3), built with dpkg-deb as root:root.
deb() {
  local arch=${1:-} rid
  case "$arch" in
    arm64) rid=linux-arm64 ;;
    amd64) rid=linux-x64 ;;
    *) say "deb needs arm64 or amd64, not '${arch}'"; exit 2 ;;
  esac
  publish "$rid"
  local version stage package model
  version=$(product_version)
  stage="$ROOT/dist/deb-$arch"
  package="$ROOT/dist/edge-agent_${version}_${arch}.deb"
  rm -rf "$stage" "$package"
  install -d -m 0755 "$stage/DEBIAN" "$stage/usr/bin" "$stage/usr/lib/edge-agent" "$stage/lib/systemd/system" \
    "$stage/usr/share/edge-agent/models" "$stage/usr/share/doc/edge-agent/examples" "$stage/etc/edge-agent/trusted-keys"
  cp -R "$ROOT/dist/$rid/." "$stage/usr/lib/edge-agent/"
  find "$stage/usr/lib/edge-agent" -type d -exec chmod 0755 {} + -o -type f -exec chmod 0644 {} +
  install -m 0755 "$ROOT/deploy/edge-agent.sh" "$stage/usr/bin/edge-agent"
  install -m 0755 "$ROOT/deploy/edgectl.sh" "$stage/usr/bin/edgectl"
  install -m 0644 "$ROOT/systemd/edge-agent.service" "$stage/lib/systemd/system/edge-agent.service"
  for model in "$ROOT"/models/*/[0-9]*/; do
    model=${model%/}
    install -d -m 0755 "$stage/usr/share/edge-agent/models/$(basename "$(dirname "$model")")/$(basename "$model")"
    install -m 0644 "$model"/* "$stage/usr/share/edge-agent/models/$(basename "$(dirname "$model")")/$(basename "$model")/"
  done
  install -m 0644 "$ROOT/models/demo-camera.lavfi" "$stage/usr/share/edge-agent/demo-camera.lavfi"
  install -m 0644 "$ROOT/deploy/edge-agent.json" "$stage/etc/edge-agent/edge-agent.json"
  install -m 0644 "$ROOT/deploy/trusted-keys/README" "$stage/etc/edge-agent/trusted-keys/README"
  install -m 0644 "$ROOT/README.md" "$ROOT/deploy/debian/copyright" "$stage/usr/share/doc/edge-agent/"
  install -m 0644 "$ROOT/deploy/edge-agent.jetson.json" "$stage/usr/share/doc/edge-agent/examples/edge-agent.jetson.json"
  install -m 0644 "$ROOT/systemd/edge-agent-jetson.conf" "$stage/usr/share/doc/edge-agent/examples/jetson.conf"
  # A changelog dated by the last commit rather than the build time.
  local date
  date=$(git -C "$ROOT" log -1 --format=%cD 2>/dev/null || date -R)
  printf 'edge-agent (%s) unstable; urgency=medium\n\n  * Built from %s.\n\n -- edge-agent maintainers <maintainers@edge-agent.invalid>  %s\n' \
    "$version" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'a working tree')" "$date" \
    | gzip -9n > "$stage/usr/share/doc/edge-agent/changelog.gz"
  chmod 0644 "$stage/usr/share/doc/edge-agent/changelog.gz"
  install -D -m 0644 "$ROOT/deploy/debian/lintian-overrides" "$stage/usr/share/lintian/overrides/edge-agent"
  install -m 0755 "$ROOT/deploy/debian/postinst" "$ROOT/deploy/debian/prerm" "$ROOT/deploy/debian/postrm" "$stage/DEBIAN/"
  printf '/etc/edge-agent/edge-agent.json\n/etc/edge-agent/trusted-keys/README\n' > "$stage/DEBIAN/conffiles"
  sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" \
      -e "s/@SIZE@/$(du -sk --exclude=DEBIAN "$stage" | cut -f1)/" "$ROOT/deploy/debian/control.in" > "$stage/DEBIAN/control"
  (cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) > "$stage/DEBIAN/md5sums"
  chmod 0644 "$stage/DEBIAN/control" "$stage/DEBIAN/conffiles" "$stage/DEBIAN/md5sums"
  SOURCE_DATE_EPOCH=$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s) \
    dpkg-deb --root-owner-group -Zxz --build "$stage" "$package" >/dev/null
  say "built $package ($(du -k "$package" | cut -f1) KiB)"
}

# The demo: the project's int8 classifier on a camera cycling through ffmpeg's test patterns and its int8 anomaly
# detector on a simulated vibration sensor with injected anomalies (models/README.md),
# publishing to a local mosquitto on 1883, started here if nothing listens there and stopped with the agent.
run_demo() {
  local broker=""
  mkdir -p "$ROOT/.demo"
  if ! (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
    mosquitto -p 1883 >"$ROOT/.demo/mosquitto.log" 2>&1 &
    broker=$!
    say "started mosquitto on 1883 (pid $broker; log .demo/mosquitto.log)"
  fi
  say "results: mosquitto_sub -h localhost -t 'edge/$(hostname)/results/#' -v"
  local status=0
  (cd "$ROOT" && EDGEAGENT__Streams__0__Source__Url="lavfi:$(cat "$ROOT/models/demo-camera.lavfi")" \
    dotnet "$ROOT/src/EdgeAgent/bin/$CONFIGURATION/net10.0/EdgeAgent.dll" run --config "$ROOT/demo/edge-agent.json") || status=$?
  if [ -n "$broker" ]; then
    kill "$broker" 2>/dev/null || true
    wait "$broker" 2>/dev/null || true
  fi
  return $status
}

main() {
  local verb=${1:-}
  [ $# -gt 0 ] && shift
  case "$verb" in
    run)
      setup
      build
      if [ $# -gt 0 ]; then
        exec dotnet "$ROOT/src/EdgeAgent/bin/$CONFIGURATION/net10.0/EdgeAgent.dll" "$@"
      fi
      run_demo
      ;;
    test)
      setup
      build
      run_tests
      ;;
    bench)
      setup
      build
      local bench="$ROOT/tests/EdgeAgent.Benchmarks/bin/$CONFIGURATION/net10.0/EdgeAgent.Benchmarks.dll"
      # A section's name runs that section alone with the options after it; otherwise every section runs, the
      # binding's with the options given, and a section that fails fails the command after the rest have run.
      case "${1:-}" in
        pipeline) shift; dotnet "$bench" pipeline --models "$SHARED_MODELS" "$@" ;;
        updates) shift; dotnet "$bench" updates --models "$SHARED_MODELS" "$@" ;;
        outbox|sensors) local section=$1; shift; dotnet "$bench" "$section" "$@" ;;
        *)
          local bench_status=0
          dotnet "$bench" --models "$SHARED_MODELS" --ort-node "$ORT_DIR/$ORT_VERSION/node_modules" "$@" || bench_status=$?
          dotnet "$bench" pipeline --models "$SHARED_MODELS" || bench_status=$?
          dotnet "$bench" outbox || bench_status=$?
          dotnet "$bench" sensors || bench_status=$?
          dotnet "$bench" updates --models "$SHARED_MODELS" || bench_status=$?
          return $bench_status
          ;;
      esac
      ;;
    publish)
      setup
      publish "$@"
      ;;
    deb)
      setup
      deb "$@"
      ;;
    *)
      sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
      exit 2
      ;;
  esac
}

# Sourcing this file (tests do) defines the functions without running anything.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
