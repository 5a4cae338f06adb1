#!/usr/bin/env bash
# Screenshots of the demo's web chat, as a phone (390×844) and a desktop
# (1280×800) would show it, in headless Chromium (Debian: apt-get install
# chromium). Usage: scripts/demo-screens.sh [OUT_DIR]   (default: ./screens)
set -euo pipefail
out="${1:-screens}"
port="${DEMO_PORT:-18080}"
chromium="${CHROMIUM:-chromium}"
mkdir -p "$out"
cargo build --release --quiet
target/release/larder demo --port "$port" --at 12:00 >"$out/demo.log" 2>&1 &
demo=$!
trap 'kill "$demo" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/" >/dev/null && break
  sleep 0.2
done
base="http://127.0.0.1:$port"
# The owner opens the desk first, so the chat has a pinned message to show.
curl -fs -X POST "$base/control/chats/1001/messages" -H 'content-type: application/json' \
  -d '{"from": 1001, "text": "/start"}' >/dev/null
for _ in $(seq 1 100); do
  curl -fs "$base/control/chats/1001" | grep -q '"pinned_message_id":[0-9]' && break
  sleep 0.1
done
shot() { # name width height url
  "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d)" --hide-scrollbars --virtual-time-budget=3000 \
    --window-size="$2,$3" --screenshot="$out/$1.png" "$4" 2>/dev/null
  echo "$out/$1.png"
}
shot phone-chat 390 844 "$base/?chat=1001&as=1001"
shot phone-list 390 844 "$base/"
shot desktop-chat 1280 800 "$base/?chat=1001&as=1001"
