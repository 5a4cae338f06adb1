#!/usr/bin/env bash
# Screenshots of the VK web chat of the demo (fake-vk), as a phone (390×844)
# shows it, while Vera, the demo's VK customer, orders in the shop: the
# registration, the menu, a category's pages, a product card, the cart, the
# time of the order and the order placed. Vera is played through fake-vk's
# control API; the pictures come from headless Chromium (Debian: apt-get
# install chromium; also needs curl and jq).
# Usage: scripts/vk-screens.sh [OUT_DIR]   (default: /tmp/vk-screens)
# LARDER_LANGUAGE=en|ru picks the bot's language (default: the demo's, ru).
set -euo pipefail
out="${1:-/tmp/vk-screens}"
port="${DEMO_PORT:-18090}"
chromium="${CHROMIUM:-chromium}"
language="${LARDER_LANGUAGE:-ru}"
export LARDER_LANGUAGE="$language"
peer=3001 # DEMO_VK_CUSTOMER in crates/larder/src/demo.rs
mkdir -p "$out"
cargo build --release --quiet
target/release/larder demo --port "$port" --at 12:00 >"$out/demo.log" 2>&1 &
demo=$!
trap 'kill "$demo" 2>/dev/null || true' EXIT
vk="http://127.0.0.1:$((port + 1))"
for _ in $(seq 1 100); do
  curl -fs "$vk/control/groups" >/dev/null && break
  sleep 0.2
done
curl -fs "$vk/control/polling?timeout_ms=20000" >/dev/null

# What the bot says and shows, in its language.
case "$language" in
  en) t_step1="Step 1 of 4" t_step2="Step 2 of 4" t_step3="Step 3 of 4" t_step4="Step 4 of 4" b_skip="Skip" t_hello="Hello, Vera"
      b_menu="Menu" t_categories="Choose a category" b_add="Add to cart" b_cart="Cart" t_cart="Your cart"
      b_checkout="Check out" t_mode="Pickup or delivery?" b_pickup="Pickup" t_when="When do you want it?"
      b_day="tomorrow" t_day="Choose a time on" t_comment="Any wishes" b_no_comment="No comment"
      t_summary="To pay" b_confirm="Confirm the order" t_placed="is placed" first="Vera" last="Customer" ;;
  ru) t_step1="Шаг 1 из 4" t_step2="Шаг 2 из 4" t_step3="Шаг 3 из 4" t_step4="Шаг 4 из 4" b_skip="Пропустить" t_hello="Здравствуйте, Вера"
      b_menu="Меню" t_categories="Выберите раздел" b_add="В корзину" b_cart="Корзина" t_cart="Ваша корзина"
      b_checkout="Оформить" t_mode="Самовывоз или доставка?" b_pickup="Самовывоз" t_when="Когда вам удобно?"
      b_day="завтра" t_day="Выберите время на" t_comment="Пожелания" b_no_comment="Без комментария"
      t_summary="К оплате" b_confirm="Подтвердить заказ" t_placed="оформлен" first="Вера" last="Покупатель" ;;
  *) echo "no texts for language $language (en, ru)" >&2; exit 1 ;;
esac

ctl() { # METHOD PATH [JSON]: a control API call; stops the script on an error
  local reply code
  reply=$(curl -sS -X "$1" "$vk/control$2" -H 'content-type: application/json' ${3:+-d "$3"} -w '\n%{http_code}')
  code="${reply##*$'\n'}"
  reply="${reply%$'\n'*}"
  if [ "${code:0:1}" != 2 ]; then
    echo "$1 $2 $3: HTTP $code $reply" >&2
    exit 1
  fi
  printf '%s\n' "$reply"
}
# Waits until the chat differs from BEFORE, the newest message Vera sees is
# the bot's and contains TEXT, every press is answered and the chat stays the
# same for a moment.
shows() { # TEXT BEFORE
  local last="" now
  for _ in $(seq 1 75); do
    now="$(ctl GET "/peers/$peer")"
    if [ "$now" = "$last" ] && [ "$now" != "$2" ] && jq -e --arg t "$1" '(.pending_events | length) == 0 and
        ([.messages[] | select(.deleted | not)] | last | .from_bot and (.text | contains($t)))' \
        <<<"$now" >/dev/null; then
      return 0
    fi
    last="$now"
    sleep 0.2
  done
  echo "the bot did not show \"$1\"; Vera sees:" >&2
  jq -r '.messages[] | select(.deleted | not) | (if .from_bot then "bot: " else "Vera: " end) + .text' <<<"$now" >&2
  exit 1
}
say() { # TEXT THEN: Vera types TEXT and the bot answers with THEN
  local before
  before="$(curl -fs "$vk/control/peers/$peer" || true)"
  ctl POST "/peers/$peer/messages" "$(jq -nc --arg t "$1" '{text: $t}')" >/dev/null
  shows "$2" "$before"
}
press() { # LABEL THEN: Vera presses the button with LABEL (or a part of it)
  local before
  before="$(curl -fs "$vk/control/peers/$peer" || true)"
  ctl POST "/peers/$peer/press" "$(jq -nc --arg b "$1" '{button: $b}')" >/dev/null
  shows "$2" "$before"
}
label_at() { # ROW COL: a label of the newest message's keyboard
  ctl GET "/peers/$peer" | jq -r --argjson r "$1" --argjson c "$2" \
    '[.messages[] | select(.deleted | not)] | last | .keyboard.rows[$r][$c].label'
}
shot() { # name [width height]: the chat as Vera's phone shows it
  TZ="${LARDER_TIMEZONE:-Europe/Moscow}" "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d)" --hide-scrollbars --virtual-time-budget=3000 \
    --window-size="${2:-390},${3:-844}" --screenshot="$out/$1.png" "$vk/?peer=$peer" 2>/dev/null
  echo "$out/$1.png"
}

# Registration: each typed answer leaves the question above it.
say "Hello" "$t_step1"
say "$first" "$t_step2"
say "$last" "$t_step3"
say "+7 912 345-67-89" "$t_step4"
shot 01-registration
press "$b_skip" "$t_hello"
shot 02-welcome
press "$b_menu" "$t_categories"
shot 03-menu
category="$(label_at 0 0)"
press "$category" "$category"
shot 04-category
press "▶" "$category"
shot 05-category-next-page
product="$(label_at 0 0)"
press "$product" "${product%% ·*}"
shot 06-product
press "$b_add" "${product%% ·*}"
press "$b_cart" "$t_cart"
shot 07-cart
press "$b_checkout" "$t_mode"
press "$b_pickup" "$t_when"
shot 08-when
press "$b_day" "$t_day"
shot 09-day
times="$(label_at 0 0)"
press "$times" "$t_day"
shot 10-times
press "$(label_at 0 1)" "$t_comment"
press "$b_no_comment" "$t_summary"
shot 11-summary
press "$b_confirm" "$t_placed"
shot 12-placed
shot 12-placed-desktop 1280 800
