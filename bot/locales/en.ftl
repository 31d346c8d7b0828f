## Refmint bot — English. Messages are Telegram HTML: keep tags balanced.
## Variables are escaped by the bot; links and lists come in ready-made.

## General

error-generic = Sorry, something went wrong on our side. Please try again in a minute.
banned = Your account is suspended, so the bot can't do this for you. If you think this is a mistake, contact the community admins.
not-admin = This command is for campaign admins only.
no-campaign = There is no campaign running yet. Please come back later.
unknown-command = I don't know that command. Send /help to see what I can do.
group-use-private = Your code, links and rewards are personal, so I answer that in our private chat: tap the button, then send the command there.
group-open-private-button = 💬 Open the bot
someone = a new member
dashboard-button = 📊 Open my dashboard
wallet-button = 👛 Link a wallet
dashboard-link-text = Your dashboard: { $link } (a personal link, works once within { $minutes } minutes — don't share it).

## /start

start-welcome =
    👋 Hi { $name }! Welcome to <b>{ $campaign }</b>.
start-welcome-back =
    👋 Welcome back, { $name }!
start-invited = 🤝 You joined through { $inviter }'s invitation.
start-welcome-bonus = 🎁 You get a welcome bonus of <b>{ $amount }</b> once you { $qualification }.
start-refused-invalid-code = 🤔 “{ $code }” doesn't look like an invite code. Ask your friend to send the link again — meanwhile you can use the bot as usual.
start-refused-unknown-code = 🤔 The invite code “{ $code }” doesn't exist. Ask your friend to send their link again — meanwhile you can use the bot as usual.
start-refused-self-referral = 🙂 That's your own invite link. Share it with friends: you earn when they join.
start-refused-already-attributed = ℹ️ You already joined through an invitation. Each member can be invited only once.
start-refused-not-new-member = ℹ️ Invitations count only for new members, and you've been here for a while. You can still invite others with /invite.
start-refused-referral-loop = ℹ️ This invitation can't count: the person who invited you joined through you.
start-refused-referrer-banned = ℹ️ This invite link is no longer active.
start-refused-campaign-inactive = ℹ️ The campaign isn't accepting invitations right now.
start-refused-campaign-paused = ⏸ The campaign is paused for now, so this invitation couldn't be recorded. Please open the link again later.
start-refused-not-in-pilot = 🧪 The campaign is a pilot for now: only invited members and the people they invite can join. It will open to everyone later, and you can open the link again then.
start-next-steps =
    What next:
    /invite — your personal invite link
    /stats — your invitations and tier
    /referrals — your friends and how far each has got
    /balance — your on-chain balance
    /rules — the full rules
    /help — all commands

## Rules

rules-short = Invite friends: for every friend who { $qualification }, you earn <b>{ $reward }</b>.
rules-short-levels = You also earn when the people you invited invite others ({ $levels } levels deep).
rules-short-next-tier = At tier <b>{ $tier }</b> ({ $left ->
        [one] { $left } more friend
       *[other] { $left } more friends
    }) it's <b>{ $reward }</b>.
qual-friend-wallet-linked = links a wallet
qual-friend-challenge = completes the task “{ $title }”
qual-friend-partner-event = completes a qualifying action with our partner
qual-friend-hold = stays with us for at least { $hours ->
        [one] { $hours } hour
       *[other] { $hours } hours
    }
qual-self-wallet-linked = link a wallet
qual-self-challenge = complete the task “{ $title }”
qual-self-partner-event = complete a qualifying action with our partner
qual-self-hold = have been with us for { $hours ->
        [one] { $hours } hour
       *[other] { $hours } hours
    }
rules-title = 📜 <b>{ $name }: the rules</b>
rules-dates = Runs from { $start } to { $end } (UTC).
rules-dates-open = Runs from { $start } (UTC), no end date set.
rules-paused = ⏸ <b>The campaign is paused right now:</b> new invitations aren't recorded and new rewards wait for an admin's review.
rules-qualification = <b>When does an invitation count?</b> When your friend { $qualification }.
rules-levels-title = <b>What you get per friend who counts</b> (your tier <b>{ $tier }</b>, rewards { $multiplier }):
rules-level-fixed = • Level { $level }: { $amount }
rules-level-percent = • Level { $level }: { $percent } of level { $above }, for you { $amount }
rules-level-at-next = (at <b>{ $tier }</b>: { $amount })
rules-levels-varies = From level 2 on, the amount depends on the offer your friend got (we test different amounts), hence the range.
rules-welcome = 🎁 Every friend you invite also gets a welcome bonus of { $amount } once their invitation counts.
rules-tiers-title = <b>Tiers</b> (by the number of friends who counted) multiply your rewards:
rules-tier = • { $name }: from { $from }, { $multiplier }
rules-tier-current = • <b>{ $name }</b>: from { $from }, { $multiplier } ← your tier
rules-caps-title = <b>Limits per member:</b>
rules-cap-daily = • at most { $amount } a day
rules-cap-total = • at most { $amount } in total
rules-expiry = ⌛ A reward not paid out within { $days ->
        [one] { $days } day
       *[other] { $days } days
    } expires.
rules-challenges-title = <b>Tasks:</b>
rules-challenge = • { $title }: { $amount }
rules-fairness =
    <b>Fair play:</b> you can't invite yourself, invitations can't go in a circle, and each member is invited only once, within { $hours ->
        [one] { $hours } hour
       *[other] { $hours } hours
    } of first opening the bot. Suspicious invitations are checked by a person before they pay. Every reward is paid on-chain, so anyone can check it.
rules-fairness-campaign =
    <b>Fair play:</b> you can't invite yourself, invitations can't go in a circle, and each member is invited only once in this campaign, within { $hours ->
        [one] { $hours } hour
       *[other] { $hours } hours
    } of joining it: members who already take part in our other campaigns can be invited here too. Suspicious invitations are checked by a person before they pay. Every reward is paid on-chain, so anyone can check it.

## Rules versions (/rules footer, rules_changed notifications)

rules-version = 🔖 Rules version { $version }, in effect since { $date }. The rules document, with its fingerprint (SHA-256) recorded on-chain: { $document }
rules-changed-title = <b>What changed in version { $version }:</b>
change-changed = • { $subject }: { $from } → { $to }
change-added = • { $subject }: new, { $to }
change-removed = • { $subject }: removed (was { $from })
change-value-none = none
change-value-unlimited = unlimited
change-value-yes = yes
change-value-no = no
change-value-percent = { $percent } of level { $level }
change-value-days = { $days ->
        [one] { $days } day
       *[other] { $days } days
    }
change-name = Campaign name
change-starts-at = Start
change-ends-at = End
change-qualification = An invitation counts when your friend
change-level = Level { $level } reward
change-welcome-bonus = Welcome bonus for invited friends
change-tier = Tier “{ $name }”, from this many friends who counted
change-tier-name = Tier “{ $name }”: name
change-tier-min-qualified = Tier “{ $name }”: friends who counted needed
change-tier-multiplier = Tier “{ $name }”: reward multiplier
change-tier-badge = Tier “{ $name }”: badge
change-cap-daily = Daily limit per member in { $token }
change-cap-total = Total limit per member in { $token }
change-expiry = Unpaid rewards expire after
change-challenge = Task “{ $name }”
change-challenge-title = Task “{ $name }”: title
change-challenge-reward = Task “{ $name }”: reward
change-perk = Perk “{ $name }”
change-perk-title = Perk “{ $name }”: title
change-perk-price = Perk “{ $name }”: price
change-perk-stock = Perk “{ $name }”: units on sale
change-badge = Badge “{ $name }”, transferable
change-badge-name = Badge “{ $name }”: name
change-badge-transferable = Badge “{ $name }”: transferable
change-token = Token { $token }
change-token-budget = Campaign budget in { $token }
change-token-setting = Token { $token } setting { $field }
change-escrow = Escrow setting { $field }
change-fraud = Fraud check { $field }
change-variant = A/B variant { $field }
change-identity = Campaign { $field }
change-end-grace-hours = Hours after the end in which invitations may still count
change-end-claim-days = Time to claim rewards after the end
change-terms-version = Terms of participation: version
change-terms-url = Terms of participation: link
change-terms-text = Terms of participation: text
change-participation-countries = Open to members in these countries
change-participation-languages = Open to members with these app languages
change-participation-min-age = Minimum age
change-attribution-new-members-only = Only members new to the community can be invited
change-pilot = Pilot setting { $field }

## /invite and sharing

invite-title = 📨 <b>Your invitation</b>
invite-code = Your code: { $code }
invite-link = Your link: { $link }
invite-campaign-link = { $campaign }: { $link }
invite-campaign-hint = Each link counts in its own campaign. Send /invite with a campaign's short name for its share button and QR code (see /campaigns).
invite-bot-link = Straight to the bot: { $link }
invite-miniapp-link = Opens the app directly: { $link }
invite-hint = Every friend who joins through your link and { $qualification } earns you <b>{ $reward }</b>.
invite-share-button = 📤 Share
invite-inline-button = 💬 Send to a chat
invite-share-text = Join me in { $campaign } on Telegram!
invite-qr-caption = Your invite link as a QR code: friends scan it with their phone camera.
inline-title = Invite to { $campaign }
inline-description = Your personal link: you earn { $reward } per friend who counts
inline-message =
    Join me in <b>{ $campaign }</b>! 🎁
    { $link }
inline-message-bonus = 🎁 You get { $amount } once you { $qualification }.
inline-join-button = Join

## /stats

stats-title = 📈 <b>Your invitations</b>
stats-campaign = 🎯 <b>{ $campaign }</b>
stats-clicks = Link opened: { $clicks ->
        [one] { $clicks } time
       *[other] { $clicks } times
    } · bot started through it: { $starts ->
        [one] { $starts } time
       *[other] { $starts } times
    }
stats-level = Level { $level }: { $qualified } counted · { $pending } waiting · { $review } under review
stats-no-referrals = No invitations yet — send /invite to get your link.
stats-tier = 🏅 Tier: <b>{ $tier }</b> ({ $multiplier } rewards)
stats-next-tier = { $left ->
        [one] { $left } more friend
       *[other] { $left } more friends
    } until <b>{ $next }</b> ({ $multiplier }).
stats-top-tier = You are at the top tier. 🎉

## /top

top-title-referrals = 🏆 <b>Leaderboard: friends who joined</b> · { $campaign }
top-title-activity = 🏆 <b>Leaderboard: activity points</b> · { $campaign }
top-period-week = This week: { $start } – { $end } (weeks start on Monday, UTC).
top-period-all = All time.
top-empty = Nobody is on this board yet: be the first!
top-line = { $rank }. { $name } — { $score }
top-line-me = <b>{ $rank }. { $name } — { $score }</b> ← you
top-me-ranked-referrals = Your place: <b>{ $rank }</b> of { $total }, with { $count ->
        [one] { $score } friend
       *[other] { $score } friends
    }.
top-me-ranked-activity = Your place: <b>{ $rank }</b> of { $total }, with { $count ->
        [one] { $score } point
       *[other] { $score } points
    }.
top-me-tied = The same score as { $others ->
        [one] { $others } other member: you share the place.
       *[other] { $others } other members: you share the place.
    }
top-me-unranked-referrals = You're not on this board yet: it counts friends whose invitation counted. Get your link with /invite.
top-me-unranked-activity = You're not on this board yet: points come from completing tasks.
top-me-hidden = You're not shown on the leaderboards while one of your invitations is being checked. You'll be back once it's decided.
top-name-hidden = Others see you as { $pseudonym }.
top-name-shown = Others see your name: { $name }.
top-board-referrals = 👥 Friends
top-board-activity = ⚡ Activity
top-period-week-button = This week
top-period-all-button = All time
top-show-name = 👤 Show my name
top-hide-name = 🙈 Hide my name
top-name-now-shown = Your first name is now shown on the leaderboards.
top-name-now-hidden = You now appear under your pseudonym.
top-gone = This leaderboard is no longer available. Send /top again.
top-campaign-unknown = There is no campaign “{ $slug }”. Campaigns: { $slugs }

## /balance

balance-title = 💰 <b>Your balance</b>
balance-no-wallet = You haven't linked a wallet yet. Rewards you earn are reserved for you on-chain; link a wallet and they are sent to it.
balance-wallet = Wallet: { $address }
balance-token = • { $amount }
balance-unavailable = On-chain balances aren't available right now (the campaign isn't connected to a chain yet).
balance-chain-error = I couldn't reach the blockchain to read your balance. Please try again in a minute.
balance-pending = ⏳ On its way: { $amount }
balance-claimable = 🔓 Ready to claim: { $amount }
balance-in-escrow = 🔒 Reserved for you on-chain, on its way to your wallet: { $amount }
balance-reserved-link = 🔒 Reserved for you on-chain: { $amount }. Link a wallet to receive it.
balance-releasing = 📤 Being released to your wallet: { $amount }
balance-nothing-pending = Nothing pending.

## /wallet and /login

wallet-linked = 👛 Your linked wallet: { $address }
    Rewards are paid to it. You can link another one in the dashboard.
wallet-none = 👛 No wallet linked yet. Link one in the dashboard to receive your rewards directly — rewards earned before are kept for you to claim.
login-link = 🔑 Here is your personal login link for the dashboard. It works once, for { $minutes } minutes — don't share it.
login-miniapp = The dashboard opens right here in Telegram: tap the button below or the menu button next to the message field. No login needed.

## /rewards

rewards-title = 🧾 <b>Your latest rewards</b>
rewards-empty = No rewards yet. Invite friends with /invite to start earning.
reward-line = • <b>{ $amount }</b> — { $what } — { $state }
reward-tx = tx { $tx }
reward-expires = expires { $date }
reward-kind-referral = level { $level } invitation
reward-kind-welcome = welcome bonus
reward-kind-challenge = task
reward-kind-adjustment = adjustment
reward-state-pending = pending
reward-state-queued = queued for payout
reward-state-sent = being paid
reward-state-settled = paid
reward-state-failed = failed, we are on it
reward-state-expired = expired
reward-state-rejected = rejected
reward-state-reserved = reserved for you on-chain, on its way to your wallet
reward-state-reserved-link = reserved for you on-chain: link a wallet to receive it
reward-state-releasing = being released to your wallet
reward-state-claimable = ready to claim

## /shop

shop-title = 🛍 <b>Shop</b> · { $campaign }
shop-empty = There are no perks in this campaign yet.
shop-item = • <b>{ $title }</b> — { $price }
shop-stock-unlimited = unlimited
shop-stock = { $count } left
shop-until = until { $date }
shop-needs-tier = for { $tier } status and above
shop-needs-badge = needs the “{ $badge }” badge
shop-balance = (you have { $amount })
shop-can-redeem = ✅ You can redeem it
shop-refusal-wallet-required = 🔗 Link a wallet to redeem
shop-refusal-perk-unknown = ⏸ Not on sale right now
shop-refusal-perk-expired = ⌛ No longer on sale
shop-refusal-out-of-stock = 🚫 Out of stock
shop-refusal-insufficient-balance = 💸 Not enough tokens
shop-refusal-tier-too-low = 🔒 Needs a higher status
shop-refusal-badge-required = 🔒 Needs a badge you don't hold yet
shop-chain-error = ⚠️ The blockchain could not be read just now: stock and balances may be out of date.
shop-how = To redeem, open the shop in the dashboard: your wallet signs the order, and we pay the network fee.
shop-button = 🛍 Open the shop

## /help and /language

help =
    🤖 <b>What I can do</b>
    /invite — your invite link, share buttons and QR code
    /stats — your invitations, tier and progress
    /referrals — your friends, where each one is, and a reminder for those who haven't finished
    /campaigns — your campaigns and a link for each
    /top — leaderboards: friends who joined and activity points, this week and all time
    /challenges — challenges, their rewards and your progress · /checkin — the daily check-in
    /balance — your on-chain balance, pending and claimable rewards
    /rewards — your latest rewards and their payout status
    /shop — perks you can spend your tokens on
    /wallet — link a wallet or see the linked one
    /login — a login link for the dashboard website
    /rules — the campaign's full rules
    /terms — the campaign's terms · /country — set your country
    /export — your data as a file · /delete — delete your data
    /notifications — which notifications you get, quiet hours
    /language — change the language
help-admin =
    🛠 <b>Admin</b>
    /admin — a login link to the admin console in the browser
    /review — flagged invitations to approve or reject
    /pause [campaign] — pause a campaign · /resume [campaign] — resume it
    /broadcast [campaign] — message a campaign's members
    /role [campaign] — who holds which role · /role @user role [campaign] — give a role · /unrole @user role [campaign] — take it back
    /exclude number [campaign] reason — exclude a member · /include number [campaign] reason — lift it
    /survey — surveys: create, send, results, close · /vote — a vote on the next reward
language-choose = Choose your language:
language-set = Done: I'll speak English with you.
language-name-en = 🇬🇧 English
language-name-ru = 🇷🇺 Русский

## Admin

admin-alert-review = 🔎 { $count ->
        [one] One new invitation waits
       *[other] { $count } new invitations wait
    } for review in <b>{ $campaign }</b>: /review here, or /admin for the console with the evidence.
admin-alert-held = ⛔ { $count ->
        [one] One payout is held
       *[other] { $count } payouts are held
    } by address screening in <b>{ $campaign }</b>. Check them in the console (/admin).
admin-alert-budget = ⚠️ <b>{ $campaign }</b> has granted { $percent } % of its { $token } budget. Top it up or plan the end.
admin-console-button = 🛠 Open the admin console
admin-console-link = 🛠 Your admin console link works once within { $minutes } minutes and signs you in for 12 hours. Don't share it.
admin-console-link-text = 🛠 Admin console: { $link } (a personal link, works once within { $minutes } minutes, signs you in for 12 hours — don't share it).
admin-review-empty = ✅ Nothing to review.
admin-review-more = Showing the newest { $shown } of { $total }. Decide these to see more.
admin-review-approve = ✅ Approve
admin-review-reject = ❌ Reject
admin-review-approved = ✅ Review #{ $id } approved: the invitation is paid.
admin-review-rejected = ❌ Review #{ $id } rejected: { $reason }
admin-review-reject-prompt = Why is review #{ $id } rejected? Reply to this message with the reason.
admin-review-closed = Review #{ $id } was already decided.
admin-review-not-found = There is no review #{ $id }.
admin-review-banned = Review #{ $id } can't be approved: one of the members has been banned since. Reject it instead.
admin-review-evidence =
    🔎 <b>Review #{ $id }</b> · { $campaign }
    New member: { $referee }
    Invited by: { $referrer }
    Chain above: { $chain }
    Why flagged: { $signals }
    Shared with others: IP { $ip } · device { $device } · wallet { $wallets }
    Inviter's invitations within 24 h: { $burst }
admin-review-chain-none = none
admin-alert-bulk = Decide all { $count } above at once (a rejection asks for the reason):
admin-alert-more = …and { $count } more: /review
admin-review-approve-all = ✅ Approve all { $count }
admin-review-reject-all = ❌ Reject all { $count }
admin-review-bulk-reject-prompt = Why are these { $count } invitations rejected? Reply to this message with the reason (members are only told it does not count).
admin-review-bulk-approved = ✅ Approved { $ok } of { $count }: the invitations are paid.
admin-review-bulk-rejected = ❌ Rejected { $ok } of { $count }: { $reason }
reason-burst = many invitations in a short time
reason-shared-ip = same network as other invitees
reason-shared-device = same device as other invitees
reason-shared-wallet = wallet used by another member
reason-daily-cap = over the daily limit
reason-total-cap = over the total limit
reason-campaign-paused = came in while the campaign was paused
admin-campaign-unknown = There is no campaign “{ $slug }”. Campaigns: { $slugs }
admin-pause-done = ⏸ <b>{ $campaign }</b> is paused: new invitations are refused and rewards go to /review.
admin-pause-already = <b>{ $campaign }</b> was already paused.
admin-resume-done = ▶️ <b>{ $campaign }</b> is running again.
admin-resume-not-paused = <b>{ $campaign }</b> wasn't paused.
campaign-state-draft = draft
campaign-state-validated = validated
campaign-state-deploying = deploying
campaign-state-active = running
campaign-state-paused = paused
campaign-state-ended = ended
campaign-state-archived = archived
campaign-state-not-pilot = not a pilot
campaign-state-promoted = open to everyone
admin-transition-refused = ⛔ <b>{ $campaign }</b> is { $from }: it can't become { $to } from there. Nothing changed.
admin-campaign-state = <b>{ $campaign }</b>: { $state } (since { $since })
admin-campaign-ended = Invitations made before the end can still count until { $grace }. Members can claim their rewards until { $clawback }.
admin-campaign-pilot = Pilot: open to pilot members and their invitees only (pilot members: { $members }). /promote opens it to everyone.
admin-campaign-pilot-promoted = Pilot promoted on { $date } (pilot members: { $members }): open to everyone.
admin-validate-done = ✅ <b>{ $campaign }</b> is validated.
admin-end-done = 🏁 <b>{ $campaign }</b> has ended: new invitations are refused from now on.
admin-archive-done = 🗄 <b>{ $campaign }</b> is archived.
admin-promote-done = 🚀 <b>{ $campaign }</b> is open to everyone now.
rules-ended = 🏁 This campaign has ended. Invitations made before the end count until { $grace }. Claim your rewards by <b>{ $clawback }</b>: unclaimed rewards return to the campaign after that.
admin-broadcast-two-defaults =
    The message has a text before its first language line and an <code>en:</code> paragraph too, so I can't tell which one English readers (and every language without its own text) should get. Put that text under <code>en:</code>, or remove the <code>en:</code> paragraph.
admin-broadcast-usage =
    Send the message after the command, one paragraph per language:
    <code>/broadcast
    en: Hello everyone!
    ru: Всем привет!</code>
    Members get their language's text (English when theirs is missing). A text before the first language line is the English one. HTML formatting works.
admin-broadcast-invalid = Telegram can't display this message: { $error }
admin-broadcast-too-long = The message is longer than { $max } characters: please shorten it.
admin-broadcast-preview = 👀 Preview in { $language } ↑
admin-broadcast-confirm = Send this to { $count ->
        [one] { $count } member
       *[other] { $count } members
    }?
admin-broadcast-send-button = 📣 Send
admin-broadcast-cancel-button = ✖️ Cancel
admin-broadcast-stop-button = ⏹ Stop
admin-broadcast-progress = 📣 Broadcast #{ $id }: { $sent } sent, { $failed } failed, { $done } of { $total }…
admin-broadcast-done = ✅ Broadcast #{ $id } finished: { $sent } sent, { $failed } failed.
admin-broadcast-cancelled = ⏹ Broadcast #{ $id } stopped: { $sent } sent, { $failed } failed.
admin-broadcast-failures = Not delivered: { $reasons }.
admin-broadcast-reason-blocked = blocked the bot: { $count }
admin-broadcast-reason-deactivated = deleted their Telegram account: { $count }
admin-broadcast-reason-not-started = never opened the bot: { $count }
admin-broadcast-reason-telegram-error = Telegram kept failing (tried 4 times): { $count }
admin-broadcast-reason-rejected = refused by Telegram: { $count }
admin-broadcast-gone = This broadcast is no longer waiting to be sent.
admin-broadcast-already-over = This broadcast has already finished.
admin-forbidden = ⛔ Your roles in { $campaign } don't allow this.
admin-forbidden-global = ⛔ None of your roles allows this (across campaigns, only super-admins can).
admin-broadcast-confirm-campaign = Send this to { $count ->
        [one] { $count } member
       *[other] { $count } members
    } of <b>{ $campaign }</b>?
role-name-owner = owner
role-name-manager = manager
role-name-reviewer = reviewer
role-name-analyst = analyst
admin-role-usage =
    Give a role: <code>/role @username role [campaign]</code>
    Take it back: <code>/unrole @username role [campaign]</code>
    See who holds which role: <code>/role [campaign]</code>
    The member is named by <code>@username</code>, Telegram id or <code>#member-number</code>, and has to have opened the bot once. Roles: { $roles }.
admin-role-no-member = I don't know { $who }: they need to open the bot once first.
admin-role-granted = ✅ { $who } is now { $role } of <b>{ $campaign }</b>.
admin-role-already = { $who } already is { $role } of <b>{ $campaign }</b>.
admin-role-revoked = ✅ { $who } is no longer { $role } of <b>{ $campaign }</b>.
admin-role-not-held = { $who } isn't { $role } of <b>{ $campaign }</b>.
admin-role-list = 👥 Roles in <b>{ $campaign }</b>:
admin-role-list-item = • { $who }: { $roles }
admin-role-list-empty = Nobody holds a role in <b>{ $campaign }</b> yet. Give one with <code>/role @username manager</code>.

## Notifications

notify-referee-joined = 🎉 { $name } joined through your invite link! You earn once your friend { $qualification }.
notify-qualified = ✅ Your invitation of { $name } counts: you earned <b>{ $amount }</b>.
notify-qualified-nothing = ✅ Your invitation of { $name } counts. There was nothing to pay this time (the campaign has ended).
notify-qualified-limited = ✅ Your invitation of { $name } counts: you earned <b>{ $amount }</b> (a limit was reached, so it's less than usual).
notify-qualified-upline = 🌱 Someone in your network (level { $level }) brought in a new member: you earned <b>{ $amount }</b>.
notify-coupon-issued = 🎟 Your <b>{ $perk }</b> is confirmed on-chain ({ $tx }). Coupon: <code>{ $code }</code>, valid until { $date }.
notify-coupon-issued-forever = 🎟 Your <b>{ $perk }</b> is confirmed on-chain ({ $tx }). Coupon: <code>{ $code }</code>.
notify-reward-paid = 💸 <b>{ $amount }</b> paid to your wallet. Transaction: { $tx }
notify-reward-paid-escrow = 💸 <b>{ $amount }</b> reserved for you on-chain (transaction { $tx }). Link a wallet to receive it.
notify-reward-expiring = ⌛ Your reward of <b>{ $amount }</b> expires on { $date } if it can't be paid out by then.
notify-tier-reached = 🏅 New tier: <b>{ $tier }</b>! { $qualified ->
        [one] { $qualified } friend has
       *[other] { $qualified } friends have
    } joined through you, so your rewards are now { $multiplier }.
notify-rules-changed = 📜 The rules of <b>{ $campaign }</b> changed (version { $version }):
notify-rules-changed-more = …and { $count ->
        [one] { $count } more change
       *[other] { $count } more changes
    }: /rules shows them all.
notify-rules-changed-footer = /rules shows the rules in full.
notify-campaign = 🎯 Campaign “{ $campaign }”
notify-referee-digest = 🎉 { $count } friends joined through your link: { $names }{ $more ->
        [0] {""}
       *[other] {" "}and { $more } more
    }. Each one counts once that friend { $qualification }.
notify-referee-daily = 📅 { $date }: { $count ->
        [one] { $count } friend joined
       *[other] { $count } friends joined
    } through your link: { $names }{ $more ->
        [0] {""}
       *[other] {" "}and { $more } more
    }. Each one counts once that friend { $qualification }.
notify-review-approved-referee = ✅ The invitation you joined through was checked and counts. Invited by: { $name }.
notify-review-rejected = ❌ The invitation of { $name } was checked and not accepted: { $reason }. It won't pay a reward.
notify-review-rejected-no-reason = ❌ The invitation of { $name } was checked and not accepted. It won't pay a reward.
notify-review-rejected-referee = ❌ The invitation you joined through was checked and not accepted: { $reason }. Invited by: { $name }.
notify-review-rejected-referee-no-reason = ❌ The invitation you joined through was checked and not accepted. Invited by: { $name }.
notify-friend-reminder = 👋 { $name } invited you and is waiting for you: the invitation counts once you { $qualification }. /start shows the next step.
notify-challenge-revoked = ↩️ The challenge “{ $challenge }” no longer counts as completed: { $why }. You can complete it again.
notify-challenge-revoked-cancelled = ↩️ The challenge “{ $challenge }” no longer counts as completed: { $why }. Its reward of { $amount } had not been sent yet and is cancelled. Complete it again to earn it.
notify-challenge-revoked-clawback = ↩️ The challenge “{ $challenge }” no longer counts as completed: { $why }. Its reward of { $amount } was already sent, so it is now owed back; completing the challenge again settles it (no second reward).
revoked-left-chat = you left the chat before the required time was over
revoked-admin = an administrator revoked it

## /referrals

referrals-title = 👥 <b>Your friends</b>
referrals-empty = No friends yet — send /invite to get your link.
referrals-state-waiting-wallet = • { $name } — ⏳ waiting for them to link a wallet
referrals-state-waiting = • { $name } — ⏳ counts once that friend { $qualification }
referrals-state-review = • { $name } — 🔎 being checked by an admin
referrals-state-rejected = • { $name } — ❌ not accepted: { $reason }
referrals-state-rejected-no-reason = • { $name } — ❌ not accepted
referrals-state-qualified = • { $name } — ✅ counted, your reward is on its way
referrals-state-paid = • { $name } — 💎 counted and paid
referrals-remind-hint = Tap a button to remind that friend (once a day per friend).
referrals-remind-button = 🔔 Remind { $name }
referrals-remind-sent = Reminder sent.
referrals-remind-already-today = You already reminded this friend today. Try again tomorrow.
referrals-remind-not-waiting = This friend has already finished: nothing to remind.
referrals-remind-gone = This friend is no longer on your list.

## /notifications

notifications-title = 🔔 <b>Notifications</b>
notifications-on = ✅ { $kind }
notifications-off = 🔕 { $kind } (off)
notifications-kind-referee-joined = Friends who joined
notifications-kind-referral-qualified = Invitations that counted
notifications-kind-reward-paid = Rewards paid
notifications-kind-reward-expiring = Rewards about to expire
notifications-kind-tier-reached = New tier
notifications-kind-friend-reminder = Reminders from friends
notifications-quiet = 🌙 Quiet hours: { $from }–{ $to } ({ $zone }). Notifications wait until they end.
notifications-quiet-none = 🌙 No quiet hours. Time zone: { $zone }.
notifications-quiet-off-button = 🌙 Turn quiet hours off
notifications-help = Quiet hours: <code>/notifications quiet 23:00-07:00</code> (a time zone may follow: <code>Europe/Berlin</code> or <code>+2</code>); <code>/notifications quiet off</code>. Time zone: <code>/notifications tz +3</code>. Friends joining one after another come as one message; <code>/notifications digest daily</code>: one message a day instead (<code>window</code> goes back).
notifications-quiet-invalid = ⚠️ Write quiet hours as <code>/notifications quiet 23:00-07:00</code>, optionally followed by a time zone (<code>Europe/Berlin</code>, <code>+2</code>).
notifications-tz-invalid = ⚠️ “{ $zone }” is not a time zone. Use a name like <code>Europe/Berlin</code> or an offset from UTC like <code>+3</code> or <code>-05:30</code>.
notifications-digest-window = 📬 Friends who joined: as they come (several close together come as one message).
notifications-digest-daily = 📬 Friends who joined: one message a day, after midnight in your time zone ({ $zone }).
notifications-digest-daily-button = 📬 Friends who joined: once a day
notifications-digest-window-button = 📬 Friends who joined: as they come
notifications-digest-invalid = ⚠️ Write <code>/notifications digest daily</code> (one message a day about friends who joined) or <code>/notifications digest window</code> (as they come).
notifications-saved = Saved.
notifications-quiet-cleared = 🌙 Quiet hours are off.
notifications-gone = This setting no longer exists. Send /notifications again.

## Command descriptions (the menu) and the menu button

cmd-start = Start and open the dashboard
cmd-invite = Your invite link and QR code
cmd-stats = Your invitations and tier
cmd-campaigns = Your campaigns and their links
cmd-top = Leaderboards
cmd-balance = Your on-chain balance
cmd-rewards = Your latest rewards
cmd-shop = Perks to spend your tokens on
cmd-wallet = Link a wallet
cmd-login = Login link for the dashboard
cmd-rules = The campaign rules
cmd-language = Change the language
cmd-help = What the bot can do
cmd-referrals = Your friends and their progress
cmd-notifications = Notifications and quiet hours
cmd-challenges = Challenges and their rewards
cmd-checkin = Daily check-in
cmd-survey = Admin: surveys
cmd-vote = Admin: a vote on the next reward
cmd-admin = Admin: open the admin console
cmd-review = Admin: flagged invitations
cmd-pause = Admin: pause a campaign
cmd-resume = Admin: resume a campaign
cmd-campaign = Admin: a campaign's state
cmd-validate = Admin: mark a draft campaign validated
cmd-end = Admin: end a campaign
cmd-archive = Admin: archive an ended campaign
cmd-promote = Admin: open a pilot to everyone
cmd-broadcast = Admin: message a campaign's members
cmd-role = Admin: campaign roles
cmd-unrole = Admin: take a role back
menu-button = Dashboard

## Compliance: terms, country and age, data export and deletion

terms-ask = 📜 Before your first reward in <b>{ $campaign }</b>, please read and accept its terms (version { $version }):
terms-changed = 📜 The terms of <b>{ $campaign }</b> have changed (version { $version }). Please read and accept them to keep earning:
terms-text = <blockquote>{ $text }</blockquote>
terms-link = Full text: { $url }
terms-accept-button = ✅ Accept
terms-accepted-toast = Accepted
terms-accepted = ✅ Thanks, you accepted the terms (version { $version }).
terms-accepted-paid = ✅ Thanks, you accepted the terms (version { $version }). Your reward was waiting for this and is on its way.
terms-accepted-already = 📜 You accepted the terms of <b>{ $campaign }</b> (version { $version }) on { $date }.
terms-none = 📜 <b>{ $campaign }</b> has no extra terms to accept.
age-ask = 🔞 This campaign is for people aged { $age } or older.
age-button = I am { $age } or older
age-confirmed = ✅ Thanks, your age is confirmed.
country-ask = 🌍 Which country do you live in? Tap it below, or send <code>/country</code> with its two-letter code, for example <code>/country DE</code>. You can set it only once.
country-ask-short = 🌍 This campaign needs your country: send /country.
country-set = ✅ Your country is saved: { $country }.
country-known = 🌍 Your country is { $country }. It can be set only once.
export-caption = Everything the bot keeps about you, as a JSON file.
delete-ask =
    🗑 <b>Delete your data?</b>
    Your name, username, language, Telegram id, link clicks, IP and device fingerprints, wallet history and settings will be erased. Your rewards stay recorded under member number { $member } so that the books add up.
    Payouts already on the blockchain cannot be erased: a public blockchain is permanent, and anyone can see those transfers to your wallet address.
    After this the bot will not message you again.
delete-confirm-button = Yes, delete my data
delete-cancel-button = Cancel
delete-cancelled = 👍 Nothing was deleted.
delete-done =
    ✅ Your data is deleted. { $kept } reward records stay under member number { $member }, without your name; { $onchain } of them are payouts on a public blockchain, which nobody can erase.
    This is the last message from me. If you write to me again, you start as a new member.
compliance-problem-terms-not-required = This campaign has no terms to accept.
compliance-problem-terms-version-mismatch = ⚠️ The terms have changed since that message. Here is the new version:
compliance-problem-country-invalid = ⚠️ That isn't a two-letter country code (for example DE), or your country is already set: it can be set only once.
compliance-problem-country-not-allowed = ⛔ This campaign isn't open in your country, so you can't take part or earn rewards in it.
compliance-problem-language-not-allowed = ⛔ This campaign isn't open to members using your language.
compliance-problem-age-invalid = ⚠️ This campaign asks you to confirm a different age.
compliance-problem-member-excluded = ⛔ The organisers have excluded you from this campaign, so you can't take part or earn rewards in it.
compliance-problem-member-deleted = Your data was already deleted.
compliance-problem-member-not-found = ⚠️ No member has that number.
admin-exclude-usage = Usage: <code>/exclude member-number [campaign] reason</code>
admin-include-usage = Usage: <code>/include member-number [campaign] reason</code>
admin-exclude-done = ⛔ Member #{ $member } is excluded from <b>{ $campaign }</b>: nothing will be attributed to them or paid to them there.
admin-exclude-unchanged = Member #{ $member } was already excluded from <b>{ $campaign }</b>.
admin-include-done = ✅ Member #{ $member } can take part in <b>{ $campaign }</b> again.
admin-include-unchanged = Member #{ $member } wasn't excluded from <b>{ $campaign }</b>.
cmd-terms = The campaign's terms
cmd-country = Set your country
cmd-export = Export your data
cmd-delete = Delete your data
cmd-exclude = Admin: exclude a member
cmd-include = Admin: lift an exclusion
## /campaigns

campaigns-title = 🎯 <b>Your campaigns</b>
campaigns-item = • <b>{ $campaign }</b> ({ $slug }), { $state }: { $link }
campaigns-running = running
campaigns-upcoming = not started yet
campaigns-ended = ended
campaigns-hint = Your code works in every campaign; each link says which one it counts in. For one campaign only, add its short name: /stats { $slug }, /invite { $slug }.
## /challenges, /checkin

challenges-title = 🎯 <b>Challenges</b> · { $campaign }
challenges-empty = There are no challenges in this campaign yet.
challenges-footer = ⚪️ open · 🟡 in progress · ✅ done, reward on its way · 💎 paid on-chain. The daily check-in counts days in UTC.
challenges-gone = This challenge is no longer available. Send /challenges again.
challenge-line = { $icon } <b>{ $title }</b> — { $reward } · { $state }
challenge-reward-daily = { $reward } a day
challenge-state-open = open
challenge-state-in_progress = in progress
challenge-state-done = done
challenge-state-paid = paid
challenge-progress-count = { $current } of { $target }
challenge-progress-days = day { $current } of { $target }
challenge-progress-streak = streak: { $current ->
        [one] { $current } day
       *[other] { $current } days
    }
challenge-join-button = ➡️ Join: { $title }
challenge-check-button = 🔄 Check
challenge-check-not-in = I don't see you in that chat yet. Join with the button, then tap "Check" again.
challenge-check-in = You're in the chat. If the challenge asks you to stay a few days, it completes by itself once you have.
challenge-check-paid = Done! { $reward } is yours.
challenge-chat-done = 🎯 Challenge done: you joined { $chat }. { $reward } is yours.
checkin-button = 📅 Check in
checkin-done = 📅 Checked in! Your streak: <b>{ $streak ->
        [one] { $streak } day
       *[other] { $streak } days
    }</b>.
checkin-already = 📅 You've already checked in today. Your streak: <b>{ $streak ->
        [one] { $streak } day
       *[other] { $streak } days
    }</b>.
checkin-paid = +{ $reward } for today.
checkin-streak-7 = 🔥 Seven days in a row!
checkin-utc = Days change at 00:00 UTC; miss a day and the streak starts again.
checkin-unavailable = This campaign has no daily check-in.

## Surveys and votes

survey-intro = 📋 <b>A short survey:</b> { $title }
vote-intro = 🗳 <b>Vote:</b> { $title }
survey-reward = For answering every question: { $reward }.
survey-reply-hint = <i>Reply to this message with your answer.</i>
survey-reply-placeholder = Your answer
survey-saved = Saved.
survey-changed = Your answer is changed.
survey-thanks = Thank you for answering!
survey-thanks-paid = Thank you for answering! { $reward } is yours.
survey-closed = This survey is closed: answers can no longer be given or changed.
survey-answer-invalid = That answer doesn't fit the question.
survey-not-found = There is no such survey.
survey-created = Survey #{ $id } “{ $title }” created. Send it with /survey send { $id }.
survey-sent = Survey #{ $id } sent to { $sent } of { $total } members.
survey-closed-now = Survey #{ $id } is closed.
survey-none = No surveys in this campaign yet.
survey-list-line = #{ $id } · { $kind } · { $status } · { $title }
survey-results-title = 📊 <b>Results of #{ $id }</b> “{ $title }”: { $respondents } answered of { $delivered } sent.
survey-results-segments = Among those who answered: { $referred } invited, { $inviters } inviting friends, { $wallet } with a wallet.
survey-usage =
    Usage:
    /survey new Title | 1 REF — then one question a line: <code>Question? | choice | choice</code>, or a question alone for free text
    /vote Question | 1 REF — then one option a line: <code>Option | budget</code>
    /survey send id · /survey results id · /survey close id
