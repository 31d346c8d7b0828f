/**
 * The admin console's texts and their lookup, in its own chunk: members never download them.
 * Nothing here is imported from the member app's modules (a module both import would become
 * a chunk the member's first load waits for); the problem texts the console meets are kept
 * here under `admin.problem.<code>`, worded as in src/locales.
 */
import type { Dictionary, Lang, Params } from "../i18n/translate.ts";
import { ANALYTICS_EN, ANALYTICS_RU } from "./analyticsTexts.ts";
import { CAMPAIGN_TEXTS } from "./campaignTexts.ts";

const plurals = new Map<Lang, Intl.PluralRules>();

/** `key` in `lang` (else English, else the key), `{name}` filled from `params`. */
export function adminText(lang: Lang, key: string, params?: Params): string {
  const message = ADMIN_TEXTS[lang][key] ?? ADMIN_TEXTS.en[key];
  if (message === undefined) return key;
  let text: string;
  if (typeof message === "string") text = message;
  else {
    let rules = plurals.get(lang);
    if (!rules) {
      rules = new Intl.PluralRules(lang);
      plurals.set(lang, rules);
    }
    text = message[rules.select(Number(params?.count ?? 0))] ?? message.other ?? "";
  }
  return params
    ? text.replace(/\{(\w+)\}/g, (all, name: string) =>
        params[name] === undefined ? all : String(params[name]),
      )
    : text;
}

/** Russian for a Russian-speaking browser (or one of its neighbours), else English. */
export function pickAdminLanguage(...codes: Array<string | null | undefined>): Lang {
  for (const code of codes) {
    const base = code?.toLowerCase().split(/[-_]/)[0];
    if (base === "ru" || base === "be" || base === "uk" || base === "kk") return "ru";
    if (base === "en") return "en";
  }
  return "en";
}

const en: Dictionary = {
  "admin.title": "Refmint admin",
  "admin.nav.label": "Console sections",
  "admin.nav.overview": "Overview",
  "admin.nav.campaigns": "Campaigns",
  "admin.nav.review": "Review",
  "admin.nav.members": "Members",
  "admin.nav.broadcast": "Broadcast",
  "admin.nav.experiments": "Experiments",
  "admin.nav.audit": "Audit log",
  "admin.lang": "Русский",
  "admin.logout": "Log out",
  "admin.super": "Super-admin: every campaign",
  "admin.miniapp.title": "The admin console opens in a browser",
  "admin.miniapp.text":
    "Send /admin to the bot: it replies with a personal link that signs you in to the console on the website.",
  "admin.login.title": "Admin console",
  "admin.login.text":
    "Send /admin to @{bot}: it replies with a single-use link (valid for 10 minutes) that signs you in for 12 hours.",
  "admin.login.signingIn": "Signing in…",
  "admin.notAdmin": "This account holds no admin role. Ask a campaign owner to give you one.",
  "admin.loading": "Loading…",
  "admin.retry": "Try again",
  "admin.none": "Nothing here yet.",
  "admin.campaigns.state": "State",
  "admin.campaigns.roles": "Your roles",
  "admin.campaigns.actions": "You may",
  "admin.campaigns.review": "Review queue",
  "admin.campaigns.audit": "Audit log",
  "admin.campaigns.link": "Campaign page",
  "admin.state.active": "Running",
  "admin.state.paused": "Paused",
  "admin.state.scheduled": "Not started",
  "admin.state.ended": "Ended",
  "admin.role.owner": "owner",
  "admin.role.manager": "manager",
  "admin.role.reviewer": "reviewer",
  "admin.role.analyst": "analyst",
  "admin.review.open": "Open",
  "admin.review.approved": "Approved",
  "admin.review.rejected": "Rejected",
  "admin.review.signals": "Signals",
  "admin.review.evidence": "Evidence",
  "admin.review.referrer": "Referrer",
  "admin.review.referee": "Invited member",
  "admin.review.chain": "Chain above the referrer",
  "admin.review.chainNone": "none",
  "admin.review.sharedIp": "Other invitations from the same IP",
  "admin.review.sharedDevice": "Other invitations from the same device",
  "admin.review.sharedWallet": "Members sharing a wallet",
  "admin.review.timing": "First contact → invitation",
  "admin.review.toReview": "Invitation → review",
  "admin.review.burst": "Referrer's invitations within 24 h",
  "admin.review.select": "Select #{id}",
  "admin.review.selectAll": "Select all",
  "admin.review.selected": "{count} selected",
  "admin.review.reason": "Reason (at least 3 characters; required to reject)",
  "admin.review.approve": "Approve",
  "admin.review.reject": "Reject",
  "admin.review.done": "{ok} decided, {failed} failed",
  "admin.review.decided": "Decided by {who}: {reason}",
  "admin.review.notify":
    "Approving pays the invitation and the referrer gets the usual reward message; rejecting closes it for good.",
  "admin.members.search": "Telegram id, @username, wallet, code, payout id or tx hash",
  "admin.members.find": "Search",
  "admin.members.notFound": "No member matches.",
  "admin.members.matched": "matched: {what}",
  "admin.members.banned": "Banned",
  "admin.members.back": "← Back to search",
  "admin.members.profile": "Profile",
  "admin.members.telegramId": "Telegram id",
  "admin.members.wallet": "Wallet",
  "admin.members.noWallet": "no wallet",
  "admin.members.language": "Language",
  "admin.members.firstSeen": "First seen",
  "admin.members.lastSeen": "Last seen",
  "admin.members.codes": "Codes",
  "admin.members.attributions": "Attributions",
  "admin.members.asReferee": "invited by #{id}",
  "admin.members.asReferrer": "invited #{id}",
  "admin.members.ledger": "Ledger entries",
  "admin.members.claims": "Claims",
  "admin.members.notifications": "Notifications sent",
  "admin.members.ban": "Ban",
  "admin.members.unban": "Unban",
  "admin.members.banReason": "Reason (at least 3 characters)",
  "admin.members.banDone": "Done.",
  "admin.members.privacy":
    "Data export and deletion come with the compliance work (a separate issue); until then, use the operator's tools.",
  "admin.audit.actor": "Who (e.g. member:12)",
  "admin.audit.action": "Action (e.g. review.approved)",
  "admin.audit.campaign": "Campaign",
  "admin.audit.all": "All",
  "admin.audit.filter": "Filter",
  "admin.audit.before": "Before",
  "admin.audit.after": "After",
  "admin.audit.more": "Older rows",
  "admin.broadcast.coming":
    "Compose broadcasts with /broadcast in the bot for now: audience segments, preview in both languages, scheduling and delivery results come to this screen next.",
  "admin.forbidden": "Your roles do not allow this here.",
  "admin.problem.forbidden": "Your roles do not allow this here.",
  "admin.problem.member_not_found": "Member not found.",
  "admin.problem.member_banned": "This account is blocked.",
  "admin.problem.review_not_found": "No such review item.",
  "admin.problem.review_closed": "Already decided.",
  "admin.problem.campaign_not_found": "The campaign was not found.",
  "admin.problem.validation_failed": "The request was not accepted. Check what you entered.",
  "admin.problem.login_link_invalid":
    "This login link is not valid. Send /admin to the bot for a new one.",
  "admin.problem.login_link_used":
    "This login link was already used. Send /admin to the bot for a new one.",
  "admin.problem.login_link_expired":
    "This login link has expired. Send /admin to the bot for a new one.",
  "admin.problem.session_invalid": "Your session has ended. Send /admin to the bot for a new link.",
  "admin.problem.auth_required": "Please sign in again.",
  "admin.problem.rate_limited": "Too many requests. Wait a minute and try again.",
  "admin.problem.internal": "Something broke on our side. Try again later.",
  "admin.problem.network": "No connection to the server. Check your internet and try again.",
  "admin.problem.unknown": "Something went wrong. Try again.",
};

const ru: Dictionary = {
  "admin.title": "Refmint: администрирование",
  "admin.nav.label": "Разделы консоли",
  "admin.nav.overview": "Обзор",
  "admin.nav.campaigns": "Кампании",
  "admin.nav.review": "Проверка",
  "admin.nav.members": "Участники",
  "admin.nav.broadcast": "Рассылка",
  "admin.nav.experiments": "Эксперименты",
  "admin.nav.audit": "Журнал",
  "admin.lang": "English",
  "admin.logout": "Выйти",
  "admin.super": "Суперадминистратор: все кампании",
  "admin.miniapp.title": "Консоль администратора открывается в браузере",
  "admin.miniapp.text":
    "Отправьте боту /admin: он пришлёт личную ссылку для входа в консоль на сайте.",
  "admin.login.title": "Консоль администратора",
  "admin.login.text":
    "Отправьте /admin боту @{bot}: он пришлёт одноразовую ссылку (действует 10 минут), вход по ней — на 12 часов.",
  "admin.login.signingIn": "Входим…",
  "admin.notAdmin":
    "У этой учётной записи нет ролей администратора. Попросите владельца кампании выдать роль.",
  "admin.loading": "Загрузка…",
  "admin.retry": "Повторить",
  "admin.none": "Пока ничего нет.",
  "admin.campaigns.state": "Состояние",
  "admin.campaigns.roles": "Ваши роли",
  "admin.campaigns.actions": "Вам доступно",
  "admin.campaigns.review": "Очередь проверки",
  "admin.campaigns.audit": "Журнал",
  "admin.campaigns.link": "Страница кампании",
  "admin.state.active": "Идёт",
  "admin.state.paused": "Приостановлена",
  "admin.state.scheduled": "Ещё не началась",
  "admin.state.ended": "Завершена",
  "admin.role.owner": "владелец",
  "admin.role.manager": "менеджер",
  "admin.role.reviewer": "модератор",
  "admin.role.analyst": "аналитик",
  "admin.review.open": "Открытые",
  "admin.review.approved": "Одобренные",
  "admin.review.rejected": "Отклонённые",
  "admin.review.signals": "Сработавшие признаки",
  "admin.review.evidence": "Подробности",
  "admin.review.referrer": "Пригласивший",
  "admin.review.referee": "Приглашённый",
  "admin.review.chain": "Цепочка выше пригласившего",
  "admin.review.chainNone": "нет",
  "admin.review.sharedIp": "Другие приглашения с того же IP",
  "admin.review.sharedDevice": "Другие приглашения с того же устройства",
  "admin.review.sharedWallet": "Участники с тем же кошельком",
  "admin.review.timing": "Первый контакт → приглашение",
  "admin.review.toReview": "Приглашение → проверка",
  "admin.review.burst": "Приглашения пригласившего за 24 ч",
  "admin.review.select": "Выбрать № {id}",
  "admin.review.selectAll": "Выбрать все",
  "admin.review.selected": "Выбрано: {count}",
  "admin.review.reason": "Причина (от 3 символов; для отклонения обязательна)",
  "admin.review.approve": "Одобрить",
  "admin.review.reject": "Отклонить",
  "admin.review.done": "Решено: {ok}, с ошибкой: {failed}",
  "admin.review.decided": "Решение ({who}): {reason}",
  "admin.review.notify":
    "Одобренное приглашение оплачивается, и пригласивший получает обычное сообщение о награде; отклонённое закрывается навсегда.",
  "admin.members.search": "Telegram id, @username, кошелёк, код, номер выплаты или хеш транзакции",
  "admin.members.find": "Найти",
  "admin.members.notFound": "Никого не нашлось.",
  "admin.members.matched": "совпадение: {what}",
  "admin.members.banned": "Доступ заблокирован",
  "admin.members.back": "← К поиску",
  "admin.members.profile": "Профиль",
  "admin.members.telegramId": "Telegram id",
  "admin.members.wallet": "Кошелёк",
  "admin.members.noWallet": "кошелёк не привязан",
  "admin.members.language": "Язык",
  "admin.members.firstSeen": "Впервые",
  "admin.members.lastSeen": "Последний раз",
  "admin.members.codes": "Коды",
  "admin.members.attributions": "Приглашения",
  "admin.members.asReferee": "по приглашению № {id}",
  "admin.members.asReferrer": "приглашение участника № {id}",
  "admin.members.ledger": "Записи в реестре",
  "admin.members.claims": "Получения",
  "admin.members.notifications": "Отправленные уведомления",
  "admin.members.ban": "Заблокировать",
  "admin.members.unban": "Разблокировать",
  "admin.members.banReason": "Причина (от 3 символов)",
  "admin.members.banDone": "Готово.",
  "admin.members.privacy":
    "Выгрузка и удаление данных появятся вместе с работой по соответствию требованиям (отдельная задача); пока пользуйтесь инструментами оператора.",
  "admin.audit.actor": "Кто (например, member:12)",
  "admin.audit.action": "Действие (например, review.approved)",
  "admin.audit.campaign": "Кампания",
  "admin.audit.all": "Все",
  "admin.audit.filter": "Показать",
  "admin.audit.before": "До",
  "admin.audit.after": "После",
  "admin.audit.more": "Более ранние записи",
  "admin.broadcast.coming":
    "Пока рассылки составляются командой /broadcast в боте: сегменты аудитории, предпросмотр на двух языках, расписание и итоги доставки появятся на этом экране.",
  "admin.forbidden": "Ваши роли не позволяют это здесь.",
  "admin.problem.forbidden": "Ваши роли не позволяют это здесь.",
  "admin.problem.member_not_found": "Участник не найден.",
  "admin.problem.member_banned": "Эта учётная запись заблокирована.",
  "admin.problem.review_not_found": "Такой заявки на проверку нет.",
  "admin.problem.review_closed": "Решение уже принято.",
  "admin.problem.campaign_not_found": "Кампания не найдена.",
  "admin.problem.validation_failed": "Запрос не принят. Проверьте введённые данные.",
  "admin.problem.login_link_invalid":
    "Ссылка для входа недействительна. Отправьте боту /admin, чтобы получить новую.",
  "admin.problem.login_link_used":
    "Эта ссылка для входа уже использована. Отправьте боту /admin, чтобы получить новую.",
  "admin.problem.login_link_expired":
    "Срок действия ссылки истёк. Отправьте боту /admin, чтобы получить новую.",
  "admin.problem.session_invalid":
    "Сеанс завершён. Отправьте боту /admin, чтобы получить новую ссылку.",
  "admin.problem.auth_required": "Войдите снова.",
  "admin.problem.rate_limited": "Слишком много запросов. Подождите минуту и повторите.",
  "admin.problem.internal": "У нас что-то сломалось. Попробуйте позже.",
  "admin.problem.network": "Нет связи с сервером. Проверьте интернет и повторите.",
  "admin.problem.unknown": "Что-то пошло не так. Повторите попытку.",
};

export const ADMIN_TEXTS: Record<Lang, Dictionary> = {
  en: { ...en, ...CAMPAIGN_TEXTS.en, ...ANALYTICS_EN },
  ru: { ...ru, ...CAMPAIGN_TEXTS.ru, ...ANALYTICS_RU },
};
