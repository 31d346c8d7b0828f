## Бот Refmint — русский. Сообщения в Telegram HTML: теги должны быть парными.
## Переменные экранирует бот; ссылки и списки приходят готовыми.

## Общее

error-generic = Извините, у нас что-то пошло не так. Попробуйте ещё раз через минуту.
banned = Ваш аккаунт заблокирован, поэтому бот не может это сделать. Если это ошибка, напишите администраторам сообщества.
not-admin = Эта команда только для администраторов кампании.
no-campaign = Пока нет ни одной кампании. Загляните позже.
unknown-command = Я не знаю такой команды. Отправьте /help, чтобы увидеть, что я умею.
group-use-private = Ваш код, ссылки и награды — личное, поэтому отвечу в нашем личном чате: нажмите кнопку и отправьте команду там.
group-open-private-button = 💬 Открыть бота
someone = новый участник
dashboard-button = 📊 Открыть личный кабинет
wallet-button = 👛 Привязать кошелёк
dashboard-link-text = Ваш личный кабинет: { $link } (личная ссылка, работает один раз в течение { $minutes } мин. — никому её не пересылайте).

## /start

start-welcome =
    👋 Привет, { $name }! Добро пожаловать в кампанию <b>«{ $campaign }»</b>.
start-welcome-back =
    👋 С возвращением, { $name }!
start-invited = 🤝 Вы пришли по приглашению: { $inviter }.
start-welcome-bonus = 🎁 Вы получите приветственный бонус <b>{ $amount }</b>, когда { $qualification }.
start-refused-invalid-code = 🤔 «{ $code }» не похоже на код приглашения. Попросите друга прислать ссылку ещё раз — а пока можно пользоваться ботом как обычно.
start-refused-unknown-code = 🤔 Кода приглашения «{ $code }» не существует. Попросите друга прислать ссылку ещё раз — а пока можно пользоваться ботом как обычно.
start-refused-self-referral = 🙂 Это ваша собственная ссылка. Отправьте её друзьям: вы получаете награду, когда они присоединяются.
start-refused-already-attributed = ℹ️ Вы уже пришли по приглашению. Пригласить участника можно только один раз.
start-refused-not-new-member = ℹ️ Приглашения засчитываются только новым участникам, а вы с нами уже давно. Приглашайте других через /invite.
start-refused-referral-loop = ℹ️ Это приглашение не может быть засчитано: пригласивший вас сам пришёл по вашей ссылке.
start-refused-referrer-banned = ℹ️ Эта ссылка-приглашение больше не действует.
start-refused-campaign-inactive = ℹ️ Кампания сейчас не принимает приглашения.
start-refused-campaign-paused = ⏸ Кампания временно приостановлена, поэтому приглашение не записано. Откройте ссылку ещё раз позже.
start-refused-not-in-pilot = 🧪 Сейчас кампания работает в пилотном режиме: участвовать могут только приглашённые участники и те, кого они пригласили. Позже она откроется для всех — тогда откройте ссылку ещё раз.
start-next-steps =
    Что дальше:
    /invite — ваша личная ссылка-приглашение
    /stats — ваши приглашения и статус
    /referrals — ваши друзья и на каком они шаге
    /balance — ваш баланс в блокчейне
    /rules — полные правила
    /help — все команды

## Правила

rules-short = Приглашайте друзей: за каждого друга, который { $qualification }, вы получаете <b>{ $reward }</b>.
rules-short-levels = Вы также зарабатываете, когда приглашённые вами приглашают других (до { $levels ->
        [one] { $levels } уровня
       *[other] { $levels } уровней
    } вглубь).
rules-short-next-tier = Со статусом <b>«{ $tier }»</b> — <b>{ $reward }</b> (до него { $left ->
        [one] остался { $left } друг
        [few] осталось { $left } друга
       *[other] осталось { $left } друзей
    }).
qual-friend-wallet-linked = привяжет кошелёк
qual-friend-challenge = выполнит задание «{ $title }»
qual-friend-partner-event = совершит целевое действие у нашего партнёра
qual-friend-hold = пробудет с нами не меньше { $hours ->
        [one] { $hours } часа
        [few] { $hours } часов
        [many] { $hours } часов
       *[other] { $hours } часа
    }
qual-self-wallet-linked = привяжете кошелёк
qual-self-challenge = выполните задание «{ $title }»
qual-self-partner-event = совершите целевое действие у нашего партнёра
qual-self-hold = пробудете с нами { $hours ->
        [one] { $hours } час
        [few] { $hours } часа
        [many] { $hours } часов
       *[other] { $hours } часа
    }
rules-title = 📜 <b>{ $name }: правила</b>
rules-dates = Проходит с { $start } по { $end } (UTC).
rules-dates-open = Проходит с { $start } (UTC), дата окончания не задана.
rules-paused = ⏸ <b>Сейчас кампания приостановлена:</b> новые приглашения не записываются, а новые награды ждут проверки администратора.
rules-qualification = <b>Когда приглашение засчитывается?</b> Когда ваш друг { $qualification }.
rules-levels-title = <b>Ваша награда за каждого засчитанного друга</b> (ваш статус — <b>«{ $tier }»</b>, награды { $multiplier }):
rules-level-fixed = • Уровень { $level }: { $amount }
rules-level-percent = • Уровень { $level }: { $percent } от уровня { $above }, для вас — { $amount }
rules-level-at-next = (со статусом «{ $tier }» — { $amount })
rules-levels-varies = Начиная со второго уровня сумма зависит от того, какую награду предложили вашему другу (мы тестируем разные суммы), поэтому указан диапазон.
rules-welcome = 🎁 Каждый приглашённый вами друг тоже получит приветственный бонус { $amount }, когда приглашение засчитается.
rules-tiers-title = <b>Статусы участника</b> (по числу засчитанных друзей) увеличивают награды:
rules-tier = • «{ $name }»: от { $from ->
        [one] { $from } друга
       *[other] { $from } друзей
    }, награды { $multiplier }
rules-tier-current = • <b>«{ $name }»</b>: от { $from ->
        [one] { $from } друга
       *[other] { $from } друзей
    }, награды { $multiplier } ← ваш статус
rules-caps-title = <b>Ограничения на участника:</b>
rules-cap-daily = • не больше { $amount } в день
rules-cap-total = • не больше { $amount } всего
rules-expiry = ⌛ Награда, не выплаченная в течение { $days ->
        [one] { $days } дня
       *[other] { $days } дней
    }, сгорает.
rules-challenges-title = <b>Задания:</b>
rules-challenge = • { $title }: { $amount }
rules-fairness =
    <b>Честная игра:</b> нельзя пригласить самого себя, приглашения не могут идти по кругу, и каждого участника приглашают только один раз — в течение { $hours ->
        [one] { $hours } часа
       *[other] { $hours } часов
    } после первого открытия бота. Подозрительные приглашения проверяет человек, прежде чем они будут оплачены. Каждая награда выплачивается в блокчейне, так что проверить её может любой.
rules-fairness-campaign =
    <b>Честная игра:</b> нельзя пригласить самого себя, приглашения не могут идти по кругу, и каждого участника приглашают в эту кампанию только один раз — в течение { $hours ->
        [one] { $hours } часа
       *[other] { $hours } часов
    } после того, как он к ней присоединился. Пригласить сюда можно и тех, кто уже участвует в других наших кампаниях. Подозрительные приглашения проверяет человек, прежде чем они будут оплачены. Каждая награда выплачивается в блокчейне, так что проверить её может любой.

## Версии правил (конец /rules, уведомления rules_changed)

rules-version = 🔖 Версия правил { $version }, действует с { $date }. Документ с правилами, его отпечаток (SHA-256) записан в блокчейне: { $document }
rules-changed-title = <b>Что изменилось в версии { $version }:</b>
change-changed = • { $subject }: { $from } → { $to }
change-added = • { $subject }: новое, { $to }
change-removed = • { $subject }: убрано (было { $from })
change-value-none = нет
change-value-unlimited = без ограничений
change-value-yes = да
change-value-no = нет
change-value-percent = { $percent } от уровня { $level }
change-value-days = { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[other] { $days } дней
    }
change-name = Название кампании
change-starts-at = Начало
change-ends-at = Окончание
change-qualification = Приглашение засчитывается, когда друг
change-level = Награда за уровень { $level }
change-welcome-bonus = Приветственный бонус приглашённым
change-tier = Статус «{ $name }», с такого числа засчитанных друзей
change-tier-name = Статус «{ $name }»: название
change-tier-min-qualified = Статус «{ $name }»: сколько нужно засчитанных друзей
change-tier-multiplier = Статус «{ $name }»: множитель наград
change-tier-badge = Статус «{ $name }»: значок
change-cap-daily = Дневной лимит на участника в { $token }
change-cap-total = Общий лимит на участника в { $token }
change-expiry = Невыплаченные награды сгорают через
change-challenge = Задание «{ $name }»
change-challenge-title = Задание «{ $name }»: название
change-challenge-reward = Задание «{ $name }»: награда
change-perk = Бонус «{ $name }»
change-perk-title = Бонус «{ $name }»: название
change-perk-price = Бонус «{ $name }»: цена
change-perk-stock = Бонус «{ $name }»: в продаже
change-badge = Значок «{ $name }», можно передавать
change-badge-name = Значок «{ $name }»: название
change-badge-transferable = Значок «{ $name }»: можно передавать
change-token = Токен { $token }
change-token-budget = Бюджет кампании в { $token }
change-token-setting = Токен { $token }, настройка { $field }
change-escrow = Эскроу, настройка { $field }
change-fraud = Антифрод, настройка { $field }
change-variant = A/B-вариант { $field }
change-identity = Кампания, { $field }
change-end-grace-hours = Сколько часов после завершения приглашения ещё засчитываются
change-end-claim-days = Срок получения наград после завершения
change-terms-version = Условия участия: версия
change-terms-url = Условия участия: ссылка
change-terms-text = Условия участия: текст
change-participation-countries = Участвовать могут жители стран
change-participation-languages = Участвовать могут пользователи с языком приложения
change-participation-min-age = Минимальный возраст
change-attribution-new-members-only = Пригласить можно только новых участников сообщества
change-pilot = Настройка пилота { $field }

## /invite и отправка приглашений

invite-title = 📨 <b>Ваше приглашение</b>
invite-code = Ваш код: { $code }
invite-link = Ваша ссылка: { $link }
invite-campaign-link = { $campaign }: { $link }
invite-campaign-hint = Каждая ссылка засчитывается в своей кампании. Чтобы получить кнопку «Поделиться» и QR-код для одной кампании, отправьте /invite с её коротким названием (список — в /campaigns).
invite-bot-link = Сразу в бота: { $link }
invite-miniapp-link = Сразу открывает приложение: { $link }
invite-hint = За каждого друга, который придёт по вашей ссылке и { $qualification }, вы получите <b>{ $reward }</b>.
invite-share-button = 📤 Поделиться
invite-inline-button = 💬 Отправить в чат
invite-share-text = Присоединяйтесь ко мне в Telegram: кампания «{ $campaign }»!
invite-qr-caption = Ваша ссылка-приглашение в виде QR-кода: друзья могут отсканировать её камерой телефона.
inline-title = Пригласить в кампанию «{ $campaign }»
inline-description = Ваша личная ссылка: { $reward } за каждого засчитанного друга
inline-message =
    Присоединяйтесь ко мне: кампания <b>«{ $campaign }»</b>! 🎁
    { $link }
inline-message-bonus = 🎁 Вы получите { $amount }, когда { $qualification }.
inline-join-button = Присоединиться

## /stats

stats-title = 📈 <b>Ваши приглашения</b>
stats-campaign = 🎯 <b>{ $campaign }</b>
stats-clicks = Ссылку открыли: { $clicks ->
        [one] { $clicks } раз
        [few] { $clicks } раза
       *[other] { $clicks } раз
    } · запустили бота по ней: { $starts ->
        [one] { $starts } раз
        [few] { $starts } раза
       *[other] { $starts } раз
    }
stats-level = Уровень { $level }: засчитано { $qualified } · ждут { $pending } · на проверке { $review }
stats-no-referrals = Приглашений пока нет — отправьте /invite, чтобы получить ссылку.
stats-tier = 🏅 Статус: <b>{ $tier }</b> (награды { $multiplier })
stats-next-tier = До статуса <b>{ $next }</b> ({ $multiplier }) { $left ->
        [one] остался { $left } друг
        [few] осталось { $left } друга
       *[other] осталось { $left } друзей
    }.
stats-top-tier = У вас высший статус. 🎉

## /top

top-title-referrals = 🏆 <b>Рейтинг: приглашённые друзья</b> · { $campaign }
top-title-activity = 🏆 <b>Рейтинг: баллы активности</b> · { $campaign }
top-period-week = Эта неделя: { $start } – { $end } (неделя начинается в понедельник, UTC).
top-period-all = За всё время.
top-empty = В этом рейтинге пока никого нет — станьте первыми!
top-line = { $rank }. { $name } — { $score }
top-line-me = <b>{ $rank }. { $name } — { $score }</b> ← это вы
top-me-ranked-referrals = Ваше место: <b>{ $rank }</b> из { $total }, { $count ->
        [one] { $score } друг
        [few] { $score } друга
       *[many] { $score } друзей
    }.
top-me-ranked-activity = Ваше место: <b>{ $rank }</b> из { $total }, { $count ->
        [one] { $score } балл
        [few] { $score } балла
        [many] { $score } баллов
       *[other] { $score } балла
    }.
top-me-tied = Такой же результат ещё у { $others ->
        [one] { $others } человека: вы делите это место.
       *[other] { $others } человек: вы делите это место.
    }
top-me-unranked-referrals = Вас пока нет в этом рейтинге: здесь считаются друзья, чьё приглашение засчитано. Ссылка для приглашения — /invite.
top-me-unranked-activity = Вас пока нет в этом рейтинге: баллы начисляются за выполненные задания.
top-me-hidden = Пока одно из ваших приглашений на проверке, вас нет в рейтингах. Вы вернётесь, когда проверка закончится.
top-name-hidden = Другие видят вас как { $pseudonym }.
top-name-shown = Другие видят ваше имя: { $name }.
top-board-referrals = 👥 Друзья
top-board-activity = ⚡ Активность
top-period-week-button = Эта неделя
top-period-all-button = Всё время
top-show-name = 👤 Показывать моё имя
top-hide-name = 🙈 Скрыть моё имя
top-name-now-shown = Теперь в рейтингах видно ваше имя.
top-name-now-hidden = Теперь в рейтингах вы под псевдонимом.
top-gone = Этот рейтинг больше недоступен. Отправьте /top ещё раз.
top-campaign-unknown = Кампании «{ $slug }» нет. Кампании: { $slugs }

## /balance

balance-title = 💰 <b>Ваш баланс</b>
balance-no-wallet = Кошелёк ещё не привязан. Заработанные награды зарезервированы для вас в блокчейне; привяжите кошелёк, и они поступят на него.
balance-wallet = Кошелёк: { $address }
balance-token = • { $amount }
balance-unavailable = Балансы в блокчейне сейчас недоступны (кампания ещё не подключена к блокчейну).
balance-chain-error = Не удалось связаться с блокчейном, чтобы прочитать баланс. Попробуйте через минуту.
balance-pending = ⏳ В пути: { $amount }
balance-claimable = 🔓 Можно забрать сейчас: { $amount }
balance-in-escrow = 🔒 Зарезервировано для вас в блокчейне, скоро поступит на кошелёк: { $amount }
balance-reserved-link = 🔒 Зарезервировано для вас в блокчейне: { $amount }. Привяжите кошелёк, чтобы получить.
balance-releasing = 📤 Переводится на ваш кошелёк: { $amount }
balance-nothing-pending = Ожидающих выплат нет.

## /wallet и /login

wallet-linked = 👛 Ваш привязанный кошелёк: { $address }
    Награды приходят на него. Другой кошелёк можно привязать в личном кабинете.
wallet-none = 👛 Кошелёк пока не привязан. Привяжите его в личном кабинете, чтобы получать награды напрямую — заработанное раньше сохранится, и его можно будет забрать.
login-link = 🔑 Вот ваша личная ссылка для входа в кабинет. Она работает один раз в течение { $minutes } мин. — никому её не пересылайте.
login-miniapp = Личный кабинет открывается прямо в Telegram: нажмите кнопку ниже или кнопку меню рядом с полем ввода. Входить не нужно.

## /rewards

rewards-title = 🧾 <b>Ваши последние награды</b>
rewards-empty = Наград пока нет. Приглашайте друзей через /invite, чтобы начать зарабатывать.
reward-line = • <b>{ $amount }</b> — { $what } — { $state }
reward-tx = транзакция { $tx }
reward-expires = сгорит { $date }
reward-kind-referral = приглашение, уровень { $level }
reward-kind-welcome = приветственный бонус
reward-kind-challenge = задание
reward-kind-adjustment = корректировка
reward-state-pending = ожидает
reward-state-queued = в очереди на выплату
reward-state-sent = выплачивается
reward-state-settled = выплачено
reward-state-failed = ошибка, мы разбираемся
reward-state-expired = сгорело
reward-state-rejected = отклонено
reward-state-reserved = зарезервировано для вас в блокчейне, скоро поступит на кошелёк
reward-state-reserved-link = зарезервировано для вас в блокчейне: привяжите кошелёк, чтобы получить
reward-state-releasing = переводится на ваш кошелёк
reward-state-claimable = можно забрать

## /shop

shop-title = 🛍 <b>Магазин</b> · { $campaign }
shop-empty = В этой кампании пока нет бонусов.
shop-item = • <b>{ $title }</b> — { $price }
shop-stock-unlimited = без ограничений
shop-stock = осталось: { $count }
shop-until = до { $date }
shop-needs-tier = для статуса «{ $tier }» и выше
shop-needs-badge = нужен значок «{ $badge }»
shop-balance = (у вас { $amount })
shop-can-redeem = ✅ Можно получить
shop-refusal-wallet-required = 🔗 Привяжите кошелёк, чтобы получить
shop-refusal-perk-unknown = ⏸ Сейчас не продаётся
shop-refusal-perk-expired = ⌛ Больше не продаётся
shop-refusal-out-of-stock = 🚫 Закончился
shop-refusal-insufficient-balance = 💸 Не хватает токенов
shop-refusal-tier-too-low = 🔒 Нужен статус выше
shop-refusal-badge-required = 🔒 Нужен значок, которого у вас пока нет
shop-chain-error = ⚠️ Сейчас не удалось прочитать данные блокчейна: остатки и балансы могут быть неактуальны.
shop-how = Чтобы получить бонус, откройте магазин в панели: заказ подписывает ваш кошелёк, а комиссию сети платим мы.
shop-button = 🛍 Открыть магазин

## /help и /language

help =
    🤖 <b>Что я умею</b>
    /invite — ваша ссылка-приглашение, кнопки «Поделиться» и QR-код
    /stats — ваши приглашения, статус и прогресс
    /referrals — ваши друзья, на каком шаге каждый, и напоминание тем, кто не закончил
    /campaigns — ваши кампании и ссылка для каждой
    /top — рейтинги: приглашённые друзья и баллы активности, за неделю и за всё время
    /challenges — задания, награды за них и ваш прогресс · /checkin — ежедневная отметка
    /balance — баланс в блокчейне, ожидающие награды и награды к получению
    /rewards — последние награды и статус выплат
    /shop — бонусы, которые можно получить за токены
    /wallet — привязать кошелёк или посмотреть привязанный
    /login — ссылка для входа в личный кабинет на сайте
    /rules — полные правила кампании
    /terms — условия кампании · /country — указать страну
    /export — ваши данные файлом · /delete — удалить ваши данные
    /notifications — какие уведомления приходят, тихие часы
    /language — сменить язык
help-admin =
    🛠 <b>Администрирование</b>
    /admin — ссылка для входа в консоль администратора в браузере
    /review — подозрительные приглашения: одобрить или отклонить
    /pause [кампания] — приостановить кампанию · /resume [кампания] — возобновить
    /broadcast [кампания] — сообщение участникам кампании
    /role [кампания] — у кого какие роли · /role @user роль [кампания] — выдать роль · /unrole @user роль [кампания] — забрать её
    /exclude номер [кампания] причина — исключить участника · /include номер [кампания] причина — вернуть
    /survey — опросы: создать, отправить, итоги, закрыть · /vote — голосование о следующей награде
language-choose = Выберите язык:
language-set = Готово: теперь я говорю с вами по-русски.
language-name-en = 🇬🇧 English
language-name-ru = 🇷🇺 Русский

## Администрирование

admin-alert-review = 🔎 { $count ->
        [one] { $count } новое приглашение ждёт
        [few] { $count } новых приглашения ждут
       *[other] { $count } новых приглашений ждут
    } проверки в кампании <b>{ $campaign }</b>: /review здесь или /admin — консоль с подробностями.
admin-alert-held = ⛔ { $count ->
        [one] { $count } выплата задержана
        [few] { $count } выплаты задержаны
       *[other] { $count } выплат задержаны
    } проверкой адресов в кампании <b>{ $campaign }</b>. Проверьте их в консоли (/admin).
admin-alert-budget = ⚠️ Кампания <b>{ $campaign }</b> распределила { $percent } % бюджета { $token }. Пополните его или запланируйте завершение.
admin-console-button = 🛠 Открыть консоль администратора
admin-console-link = 🛠 Ссылка на консоль администратора сработает один раз в течение { $minutes } мин. и откроет вход на 12 часов. Никому её не пересылайте.
admin-console-link-text = 🛠 Консоль администратора: { $link } (личная ссылка: сработает один раз в течение { $minutes } мин., вход на 12 часов — никому её не пересылайте).
admin-review-empty = ✅ Проверять нечего.
admin-review-more = Показаны последние { $shown } из { $total }. Примите решения, чтобы увидеть остальные.
admin-review-approve = ✅ Одобрить
admin-review-reject = ❌ Отклонить
admin-review-approved = ✅ Проверка №{ $id } одобрена: приглашение оплачено.
admin-review-rejected = ❌ Проверка №{ $id } отклонена: { $reason }
admin-review-reject-prompt = Почему отклонена проверка №{ $id }? Ответьте на это сообщение, указав причину.
admin-review-closed = По проверке №{ $id } уже принято решение.
admin-review-not-found = Проверки №{ $id } нет.
admin-review-banned = Проверку №{ $id } нельзя одобрить: один из участников с тех пор заблокирован. Отклоните её.
admin-review-evidence =
    🔎 <b>Проверка №{ $id }</b> · { $campaign }
    Новый участник: { $referee }
    Пригласил: { $referrer }
    Цепочка выше: { $chain }
    Причина: { $signals }
    Общее с другими: IP { $ip } · устройство { $device } · кошелёк { $wallets }
    Приглашений пригласившего за 24 ч: { $burst }
admin-review-chain-none = нет
admin-alert-bulk = Решить сразу по всем { $count } выше (для отклонения спросим причину):
admin-alert-more = …и ещё { $count }: /review
admin-review-approve-all = ✅ Одобрить все ({ $count })
admin-review-reject-all = ❌ Отклонить все ({ $count })
admin-review-bulk-reject-prompt = Почему отклонены эти приглашения ({ $count })? Ответьте на это сообщение, указав причину (участникам сообщим только, что приглашение не засчитано).
admin-review-bulk-approved = ✅ Одобрено { $ok } из { $count }: приглашения оплачены.
admin-review-bulk-rejected = ❌ Отклонено { $ok } из { $count }: { $reason }
reason-burst = много приглашений за короткое время
reason-shared-ip = та же сеть, что у других приглашённых
reason-shared-device = то же устройство, что у других приглашённых
reason-shared-wallet = кошелёк использовал другой участник
reason-daily-cap = превышен дневной лимит
reason-total-cap = превышен общий лимит
reason-campaign-paused = пришло, пока кампания была на паузе
admin-campaign-unknown = Кампании «{ $slug }» нет. Кампании: { $slugs }
admin-pause-done = ⏸ Кампания <b>«{ $campaign }»</b> приостановлена: новые приглашения не принимаются, награды уходят в /review.
admin-pause-already = Кампания <b>«{ $campaign }»</b> уже приостановлена.
admin-resume-done = ▶️ Кампания <b>«{ $campaign }»</b> снова работает.
admin-resume-not-paused = Кампания <b>«{ $campaign }»</b> не была приостановлена.
campaign-state-draft = черновик
campaign-state-validated = проверена
campaign-state-deploying = развёртывается
campaign-state-active = работает
campaign-state-paused = приостановлена
campaign-state-ended = завершена
campaign-state-archived = в архиве
campaign-state-not-pilot = не пилотная
campaign-state-promoted = открыта для всех
admin-transition-refused = ⛔ Состояние кампании <b>{ $campaign }</b>: { $from }. Перевести её в состояние «{ $to }» отсюда нельзя. Ничего не изменилось.
admin-campaign-state = <b>{ $campaign }</b>: { $state } (с { $since })
admin-campaign-ended = Приглашения, сделанные до завершения, засчитываются до { $grace }. Забрать награды можно до { $clawback }.
admin-campaign-pilot = Пилот: участвовать могут только участники пилота и приглашённые ими (участников пилота: { $members }). /promote откроет кампанию для всех.
admin-campaign-pilot-promoted = Пилот завершён { $date } (участников пилота: { $members }): кампания открыта для всех.
admin-validate-done = ✅ Кампания <b>{ $campaign }</b> проверена.
admin-end-done = 🏁 Кампания <b>{ $campaign }</b> завершена: новые приглашения больше не принимаются.
admin-archive-done = 🗄 Кампания <b>{ $campaign }</b> перенесена в архив.
admin-promote-done = 🚀 Кампания <b>{ $campaign }</b> теперь открыта для всех.
rules-ended = 🏁 Кампания завершена. Приглашения, сделанные до завершения, засчитываются до { $grace }. Заберите награды до <b>{ $clawback }</b>: после этого невостребованные награды вернутся в бюджет кампании.
admin-broadcast-two-defaults =
    В сообщении есть текст до первой строки с языком и ещё абзац <code>en:</code>, поэтому непонятно, какой из них получат читающие по-английски (и все, для чьего языка нет своего текста). Перенесите этот текст под <code>en:</code> или уберите абзац <code>en:</code>.
admin-broadcast-usage =
    Напишите сообщение после команды, по абзацу на язык:
    <code>/broadcast
    en: Hello everyone!
    ru: Всем привет!</code>
    Участники получат текст на своём языке (английский, если их языка нет). Текст до первой строки с языком — английский. HTML-разметка работает.
admin-broadcast-invalid = Telegram не может показать это сообщение: { $error }
admin-broadcast-too-long = Сообщение длиннее { $max } символов: сократите его.
admin-broadcast-preview = 👀 Так это выглядит на языке «{ $language }» ↑
admin-broadcast-confirm = Отправить { $count ->
        [one] { $count } участнику
       *[other] { $count } участникам
    }?
admin-broadcast-send-button = 📣 Отправить
admin-broadcast-cancel-button = ✖️ Отмена
admin-broadcast-stop-button = ⏹ Остановить
admin-broadcast-progress = 📣 Рассылка №{ $id }: отправлено { $sent }, ошибок { $failed }, готово { $done } из { $total }…
admin-broadcast-done = ✅ Рассылка №{ $id } завершена: отправлено { $sent }, ошибок { $failed }.
admin-broadcast-cancelled = ⏹ Рассылка №{ $id } остановлена: отправлено { $sent }, ошибок { $failed }.
admin-broadcast-failures = Не доставлено: { $reasons }.
admin-broadcast-reason-blocked = заблокировали бота — { $count }
admin-broadcast-reason-deactivated = удалили аккаунт Telegram — { $count }
admin-broadcast-reason-not-started = ни разу не открывали бота — { $count }
admin-broadcast-reason-telegram-error = ошибки Telegram (4 попытки) — { $count }
admin-broadcast-reason-rejected = Telegram отказал — { $count }
admin-broadcast-gone = Эта рассылка больше не ждёт отправки.
admin-broadcast-already-over = Эта рассылка уже завершена.
admin-forbidden = ⛔ Ваши роли в кампании «{ $campaign }» этого не позволяют.
admin-forbidden-global = ⛔ Ни одна из ваших ролей этого не позволяет (действовать сразу во всех кампаниях могут только главные администраторы).
admin-broadcast-confirm-campaign = Отправить { $count ->
        [one] { $count } участнику
       *[other] { $count } участникам
    } кампании <b>{ $campaign }</b>?
role-name-owner = владелец
role-name-manager = менеджер
role-name-reviewer = проверяющий
role-name-analyst = аналитик
admin-role-usage =
    Выдать роль: <code>/role @username роль [кампания]</code>
    Забрать роль: <code>/unrole @username роль [кампания]</code>
    Посмотреть, у кого какие роли: <code>/role [кампания]</code>
    Участника указывают через <code>@username</code>, Telegram id или <code>#номер-участника</code>; он должен хотя бы раз открыть бота. Роли: { $roles }.
admin-role-no-member = Я не знаю { $who }: пусть сначала хотя бы раз откроет бота.
admin-role-granted = ✅ { $who } теперь { $role } кампании <b>{ $campaign }</b>.
admin-role-already = { $who } уже { $role } кампании <b>{ $campaign }</b>.
admin-role-revoked = ✅ { $who } больше не { $role } кампании <b>{ $campaign }</b>.
admin-role-not-held = { $who } не { $role } кампании <b>{ $campaign }</b>.
admin-role-list = 👥 Роли в кампании <b>{ $campaign }</b>:
admin-role-list-item = • { $who }: { $roles }
admin-role-list-empty = В кампании <b>{ $campaign }</b> пока ни у кого нет ролей. Выдать роль: <code>/role @username manager</code>.

## Уведомления

notify-referee-joined = 🎉 По вашей ссылке пришёл новый участник: { $name }! Вы получите награду, когда новый участник { $qualification }.
notify-qualified = ✅ Ваше приглашение засчитано ({ $name }): вы заработали <b>{ $amount }</b>.
notify-qualified-nothing = ✅ Ваше приглашение засчитано ({ $name }). В этот раз выплачивать нечего (кампания завершилась).
notify-qualified-limited = ✅ Ваше приглашение засчитано ({ $name }): вы заработали <b>{ $amount }</b> (сработал лимит, поэтому меньше обычного).
notify-qualified-upline = 🌱 Кто-то в вашей сети (уровень { $level }) привёл нового участника: вы заработали <b>{ $amount }</b>.
notify-coupon-issued = 🎟 Покупка «{ $perk }» подтверждена в блокчейне ({ $tx }). Купон: <code>{ $code }</code>, действует до { $date }.
notify-coupon-issued-forever = 🎟 Покупка «{ $perk }» подтверждена в блокчейне ({ $tx }). Купон: <code>{ $code }</code>.
notify-reward-paid = 💸 <b>{ $amount }</b> выплачено на ваш кошелёк. Транзакция: { $tx }
notify-reward-paid-escrow = 💸 <b>{ $amount }</b> зарезервировано для вас в блокчейне (транзакция { $tx }). Привяжите кошелёк, чтобы получить.
notify-reward-expiring = ⌛ Ваша награда <b>{ $amount }</b> сгорит { $date }, если её не удастся выплатить до этого срока.
notify-tier-reached = 🏅 Новый статус: <b>{ $tier }</b>! По вашей ссылке { $qualified ->
        [one] пришёл { $qualified } друг
        [few] пришли { $qualified } друга
       *[other] пришли { $qualified } друзей
    }, и теперь ваши награды { $multiplier }.
notify-rules-changed = 📜 Правила кампании <b>{ $campaign }</b> изменились (версия { $version }):
notify-rules-changed-more = …и ещё { $count ->
        [one] { $count } изменение
        [few] { $count } изменения
       *[other] { $count } изменений
    }: все они есть в /rules.
notify-rules-changed-footer = Правила полностью — в /rules.
notify-campaign = 🎯 Кампания «{ $campaign }»
notify-referee-digest = 🎉 По вашей ссылке { $count ->
        [one] пришёл { $count } друг
        [few] пришли { $count } друга
       *[other] пришли { $count } друзей
    }: { $names }{ $more ->
        [0] {""}
       *[other] {" "}и ещё { $more }
    }. Каждый засчитается, когда { $qualification }.
notify-referee-daily = 📅 { $date }: по вашей ссылке { $count ->
        [one] пришёл { $count } друг
        [few] пришли { $count } друга
       *[other] пришли { $count } друзей
    }: { $names }{ $more ->
        [0] {""}
       *[other] {" "}и ещё { $more }
    }. Каждый засчитается, когда { $qualification }.
notify-review-approved-referee = ✅ Приглашение, по которому вы пришли, проверено и засчитано. Кто пригласил: { $name }.
notify-review-rejected = ❌ Приглашение нового участника ({ $name }) проверено и не засчитано: { $reason }. Награды за него не будет.
notify-review-rejected-no-reason = ❌ Приглашение нового участника ({ $name }) проверено и не засчитано. Награды за него не будет.
notify-review-rejected-referee = ❌ Приглашение, по которому вы пришли, проверено и не засчитано: { $reason }. Кто пригласил: { $name }.
notify-review-rejected-referee-no-reason = ❌ Приглашение, по которому вы пришли, проверено и не засчитано. Кто пригласил: { $name }.
notify-friend-reminder = 👋 { $name } приглашает вас и ждёт: приглашение засчитается, когда вы { $qualification }. Следующий шаг — в /start.
notify-challenge-revoked = ↩️ Задание «{ $challenge }» больше не считается выполненным: { $why }. Его можно выполнить снова.
notify-challenge-revoked-cancelled = ↩️ Задание «{ $challenge }» больше не считается выполненным: { $why }. Награда { $amount } ещё не была отправлена и отменена. Выполните задание снова, чтобы её получить.
notify-challenge-revoked-clawback = ↩️ Задание «{ $challenge }» больше не считается выполненным: { $why }. Награда { $amount } уже отправлена, поэтому теперь её нужно вернуть; повторное выполнение задания закрывает этот долг (второй награды не будет).
revoked-left-chat = вы вышли из чата раньше, чем прошёл нужный срок
revoked-admin = его отменил администратор

## /referrals

referrals-title = 👥 <b>Ваши друзья</b>
referrals-empty = Друзей пока нет — отправьте /invite, чтобы получить ссылку.
referrals-state-waiting-wallet = • { $name } — ⏳ ждём, когда привяжет кошелёк
referrals-state-waiting = • { $name } — ⏳ засчитается, когда { $qualification }
referrals-state-review = • { $name } — 🔎 проверяет администратор
referrals-state-rejected = • { $name } — ❌ не засчитано: { $reason }
referrals-state-rejected-no-reason = • { $name } — ❌ не засчитано
referrals-state-qualified = • { $name } — ✅ засчитано, награда в пути
referrals-state-paid = • { $name } — 💎 засчитано и выплачено
referrals-remind-hint = Нажмите кнопку, чтобы напомнить другу (не чаще раза в день каждому).
referrals-remind-button = 🔔 Напомнить: { $name }
referrals-remind-sent = Напоминание отправлено.
referrals-remind-already-today = Сегодня вы уже напоминали этому другу. Попробуйте завтра.
referrals-remind-not-waiting = Этот друг уже всё сделал — напоминать не нужно.
referrals-remind-gone = Этого друга больше нет в вашем списке.

## /notifications

notifications-title = 🔔 <b>Уведомления</b>
notifications-on = ✅ { $kind }
notifications-off = 🔕 { $kind } (выключено)
notifications-kind-referee-joined = Новые друзья
notifications-kind-referral-qualified = Засчитанные приглашения
notifications-kind-reward-paid = Выплаты
notifications-kind-reward-expiring = Награды, которые скоро сгорят
notifications-kind-tier-reached = Новый статус
notifications-kind-friend-reminder = Напоминания от друзей
notifications-quiet = 🌙 Тихие часы: { $from }–{ $to } ({ $zone }). В это время уведомления ждут и приходят после.
notifications-quiet-none = 🌙 Тихих часов нет. Часовой пояс: { $zone }.
notifications-quiet-off-button = 🌙 Выключить тихие часы
notifications-help = Тихие часы: <code>/notifications quiet 23:00-07:00</code> (можно добавить часовой пояс: <code>Europe/Moscow</code> или <code>+3</code>), выключить — <code>/notifications quiet off</code>. Часовой пояс: <code>/notifications tz +3</code>. Если друзья приходят один за другим, о них придёт одно сообщение; <code>/notifications digest daily</code> — одно сообщение в день (<code>window</code> — вернуть как было).
notifications-quiet-invalid = ⚠️ Укажите тихие часы так: <code>/notifications quiet 23:00-07:00</code>, при желании — с часовым поясом (<code>Europe/Moscow</code>, <code>+3</code>).
notifications-tz-invalid = ⚠️ «{ $zone }» — не часовой пояс. Укажите название, например <code>Europe/Moscow</code>, или смещение от UTC, например <code>+3</code> или <code>-05:30</code>.
notifications-digest-window = 📬 Новые друзья: сразу (если друзья приходят один за другим, придёт одно сообщение).
notifications-digest-daily = 📬 Новые друзья: одно сообщение в день, после полуночи по вашему времени ({ $zone }).
notifications-digest-daily-button = 📬 Новые друзья: раз в день
notifications-digest-window-button = 📬 Новые друзья: сразу
notifications-digest-invalid = ⚠️ Напишите <code>/notifications digest daily</code> (одно сообщение в день о новых друзьях) или <code>/notifications digest window</code> (сразу).
notifications-saved = Сохранено.
notifications-quiet-cleared = 🌙 Тихие часы выключены.
notifications-gone = Такой настройки больше нет. Отправьте /notifications ещё раз.

## Описания команд (меню) и кнопка меню

cmd-start = Начать и открыть кабинет
cmd-invite = Ссылка-приглашение и QR-код
cmd-stats = Приглашения и статус
cmd-campaigns = Ваши кампании и ссылки
cmd-top = Рейтинги
cmd-balance = Баланс в блокчейне
cmd-rewards = Последние награды
cmd-shop = Бонусы за токены
cmd-wallet = Привязать кошелёк
cmd-login = Ссылка для входа в кабинет
cmd-rules = Правила кампании
cmd-language = Сменить язык
cmd-help = Что умеет бот
cmd-referrals = Ваши друзья и их шаги
cmd-notifications = Уведомления и тихие часы
cmd-challenges = Задания и награды за них
cmd-checkin = Ежедневная отметка
cmd-survey = Админ: опросы
cmd-vote = Админ: голосование о следующей награде
cmd-admin = Админ: консоль администратора
cmd-review = Админ: подозрительные приглашения
cmd-pause = Админ: приостановить кампанию
cmd-resume = Админ: возобновить кампанию
cmd-campaign = Админ: состояние кампании
cmd-validate = Админ: отметить черновик проверенным
cmd-end = Админ: завершить кампанию
cmd-archive = Админ: перенести завершённую кампанию в архив
cmd-promote = Админ: открыть пилот для всех
cmd-broadcast = Админ: сообщение участникам кампании
cmd-role = Админ: роли в кампании
cmd-unrole = Админ: забрать роль
menu-button = Кабинет

## Compliance: terms, country and age, data export and deletion

terms-ask = 📜 Перед первой наградой в кампании <b>«{ $campaign }»</b> прочитайте и примите условия (версия { $version }):
terms-changed = 📜 Условия кампании <b>«{ $campaign }»</b> изменились (версия { $version }). Чтобы и дальше получать награды, прочитайте и примите их:
terms-text = <blockquote>{ $text }</blockquote>
terms-link = Полный текст: { $url }
terms-accept-button = ✅ Принять
terms-accepted-toast = Принято
terms-accepted = ✅ Спасибо, условия приняты (версия { $version }).
terms-accepted-paid = ✅ Спасибо, условия приняты (версия { $version }). Награда ждала только этого и уже в пути.
terms-accepted-already = 📜 Условия кампании <b>«{ $campaign }»</b> (версия { $version }) приняты { $date }.
terms-none = 📜 В кампании <b>«{ $campaign }»</b> нет дополнительных условий.
age-ask = 🔞 Участвовать в кампании можно с { $age } лет.
age-button = Мне есть { $age }
age-confirmed = ✅ Спасибо, возраст подтверждён.
country-ask = 🌍 В какой стране вы живёте? Нажмите на неё ниже или отправьте <code>/country</code> с двухбуквенным кодом, например <code>/country DE</code>. Указать страну можно только один раз.
country-ask-short = 🌍 Кампании нужна ваша страна: отправьте /country.
country-set = ✅ Страна сохранена: { $country }.
country-known = 🌍 Ваша страна — { $country }. Указать её можно только один раз.
export-caption = Всё, что бот хранит о вас, в файле JSON.
delete-ask =
    🗑 <b>Удалить ваши данные?</b>
    Имя, имя пользователя, язык, Telegram id, переходы по ссылкам, отпечатки IP и устройства, история кошельков и настройки будут удалены. Награды останутся в учёте под номером участника { $member }, чтобы сходились расчёты.
    Выплаты, которые уже в блокчейне, удалить нельзя: публичный блокчейн неизменяем, и эти переводы на адрес вашего кошелька видны всем.
    После этого бот больше не будет вам писать.
delete-confirm-button = Да, удалить мои данные
delete-cancel-button = Отмена
delete-cancelled = 👍 Ничего не удалено.
delete-done =
    ✅ Ваши данные удалены. Записей о наградах, оставшихся под номером участника { $member } без вашего имени: { $kept }; из них выплат в публичном блокчейне, которые никто не может удалить: { $onchain }.
    Это последнее сообщение от меня. Если напишете снова, вы начнёте как новый участник.
compliance-problem-terms-not-required = В этой кампании нет условий, которые нужно принять.
compliance-problem-terms-version-mismatch = ⚠️ Условия изменились после того сообщения. Вот новая версия:
compliance-problem-country-invalid = ⚠️ Это не двухбуквенный код страны (например, DE), или страна уже указана: указать её можно только один раз.
compliance-problem-country-not-allowed = ⛔ Кампания не работает в вашей стране, поэтому участвовать в ней и получать награды нельзя.
compliance-problem-language-not-allowed = ⛔ Кампания недоступна для участников с вашим языком.
compliance-problem-age-invalid = ⚠️ Кампания просит подтвердить другой возраст.
compliance-problem-member-excluded = ⛔ Организаторы исключили вас из этой кампании, поэтому участвовать в ней и получать награды нельзя.
compliance-problem-member-deleted = Ваши данные уже удалены.
compliance-problem-member-not-found = ⚠️ Участника с таким номером нет.
admin-exclude-usage = Как использовать: <code>/exclude номер-участника [кампания] причина</code>
admin-include-usage = Как использовать: <code>/include номер-участника [кампания] причина</code>
admin-exclude-done = ⛔ Участник #{ $member } исключён из кампании <b>«{ $campaign }»</b>: приглашения с ним не засчитываются, награды в этой кампании ему не начисляются.
admin-exclude-unchanged = Участник #{ $member } уже исключён из кампании <b>«{ $campaign }»</b>.
admin-include-done = ✅ Участник #{ $member } снова может участвовать в кампании <b>«{ $campaign }»</b>.
admin-include-unchanged = Участник #{ $member } не был исключён из кампании <b>«{ $campaign }»</b>.
cmd-terms = Условия кампании
cmd-country = Указать страну
cmd-export = Выгрузить свои данные
cmd-delete = Удалить свои данные
cmd-exclude = Админ: исключить участника
cmd-include = Админ: вернуть участника
## /campaigns

campaigns-title = 🎯 <b>Ваши кампании</b>
campaigns-item = • <b>{ $campaign }</b> ({ $slug }), { $state }: { $link }
campaigns-running = идёт
campaigns-upcoming = ещё не началась
campaigns-ended = завершена
campaigns-hint = Ваш код действует во всех кампаниях, а каждая ссылка указывает, в какой из них она засчитывается. Чтобы посмотреть одну кампанию, добавьте её короткое название: /stats { $slug }, /invite { $slug }.
## /challenges, /checkin

challenges-title = 🎯 <b>Задания</b> · { $campaign }
challenges-empty = В этой кампании пока нет заданий.
challenges-footer = ⚪️ не начато · 🟡 в процессе · ✅ выполнено, награда в пути · 💎 выплачено в блокчейне. Ежедневная отметка считает дни по UTC.
challenges-gone = Это задание больше недоступно. Отправьте /challenges ещё раз.
challenge-line = { $icon } <b>{ $title }</b> — { $reward } · { $state }
challenge-reward-daily = { $reward } в день
challenge-state-open = не начато
challenge-state-in_progress = в процессе
challenge-state-done = выполнено
challenge-state-paid = выплачено
challenge-progress-count = { $current } из { $target }
challenge-progress-days = день { $current } из { $target }
challenge-progress-streak = серия: { $current ->
        [one] { $current } день
        [few] { $current } дня
        [many] { $current } дней
       *[other] { $current } дня
    }
challenge-join-button = ➡️ Вступить: { $title }
challenge-check-button = 🔄 Проверить
challenge-check-not-in = Пока не вижу вас в этом чате. Вступите по кнопке и нажмите «Проверить» ещё раз.
challenge-check-in = Вы в чате. Если задание просит пробыть там несколько дней, оно засчитается само, когда срок пройдёт.
challenge-check-paid = Готово! Вам начислено { $reward }.
challenge-chat-done = 🎯 Задание выполнено: вы вступили в чат «{ $chat }». Вам начислено { $reward }.
checkin-button = 📅 Отметиться
checkin-done = 📅 Отметка принята! Ваша серия: <b>{ $streak ->
        [one] { $streak } день
        [few] { $streak } дня
        [many] { $streak } дней
       *[other] { $streak } дня
    }</b>.
checkin-already = 📅 Сегодня вы уже отметились. Ваша серия: <b>{ $streak ->
        [one] { $streak } день
        [few] { $streak } дня
        [many] { $streak } дней
       *[other] { $streak } дня
    }</b>.
checkin-paid = +{ $reward } за сегодня.
checkin-streak-7 = 🔥 Семь дней подряд!
checkin-utc = Новый день начинается в 00:00 UTC; если пропустить день, серия начнётся заново.
checkin-unavailable = В этой кампании нет ежедневной отметки.

## Опросы и голосования

survey-intro = 📋 <b>Небольшой опрос:</b> { $title }
vote-intro = 🗳 <b>Голосование:</b> { $title }
survey-reward = За ответы на все вопросы: { $reward }.
survey-reply-hint = <i>Ответьте на это сообщение, чтобы прислать свой ответ.</i>
survey-reply-placeholder = Ваш ответ
survey-saved = Сохранено.
survey-changed = Ответ изменён.
survey-thanks = Спасибо за ответы!
survey-thanks-paid = Спасибо за ответы! Вам начислено { $reward }.
survey-closed = Опрос закрыт: ответить или изменить ответ уже нельзя.
survey-answer-invalid = Такой ответ не подходит к вопросу.
survey-not-found = Такого опроса нет.
survey-created = Опрос №{ $id } «{ $title }» создан. Отправить участникам: /survey send { $id }.
survey-sent = Опрос №{ $id } отправлен: { $sent } из { $total }.
survey-closed-now = Опрос №{ $id } закрыт.
survey-none = В этой кампании пока нет опросов.
survey-list-line = №{ $id } · { $kind } · { $status } · { $title }
survey-results-title = 📊 <b>Итоги №{ $id }</b> «{ $title }»: ответов — { $respondents }, отправлено — { $delivered }.
survey-results-segments = Среди ответивших: приглашённых — { $referred }, приглашающих друзей — { $inviters }, с кошельком — { $wallet }.
survey-usage =
    Как пользоваться:
    /survey new Название | 1 REF — дальше по вопросу в строке: <code>Вопрос? | вариант | вариант</code> или только вопрос для свободного ответа
    /vote Вопрос | 1 REF — дальше по варианту в строке: <code>Вариант | бюджет</code>
    /survey send номер · /survey results номер · /survey close номер
