/**
 * The window's words in English and Russian. Each language is one object of the same type, so a
 * message missing from either is a compile error; plurals use Intl.PluralRules. The language
 * follows the system unless chosen in Settings.
 */
import { pluralRulesFor } from './intl-cache';

export type Language = 'en' | 'ru';
type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const en = {
  appName: 'B24 Notify',
  unread: { one: '{n} unread', other: '{n} unread' } as PluralForms,
  markAllRead: 'Mark all read',
  markRead: 'Mark read',
  dismiss: 'Dismiss',
  openPortal: 'Open the portal',
  dismissItem: 'Dismiss “{title}”',
  tryAgain: 'Try again',
  useNewAddress: 'Use the new address',
  dismissNotice: 'Got it',
  reconnect: 'Reconnect',
  reconnectFor: 'Reconnect {name}',
  reconnectHint: 'A new inbound webhook URL of the same user on this portal. Name, colour, muted categories and unsent answers stay.',
  reconnected: '{name} is connected again.',
  loading: 'Loading…',
  outsideApp: 'B24 Notify’s window opened outside the app.',
  connectPrompt: 'Connect your Bitrix24 portal to see its notifications here.',
  empty: 'No notifications. New ones appear here and as system notifications.',
  needsAnswer: 'Needs your answer',
  notifications: 'Notifications',
  notification: 'Notification',
  deletedUser: 'Deleted user',
  unreadMark: 'Unread',
  answerGroup: 'Answer',
  sending: 'Sending…',
  answerSent: 'Answer sent.',
  youChose: 'You chose “{label}”.',
  alreadyAnswered: 'Already answered elsewhere or no longer available.',
  answerKept: 'The portal cannot be reached right now. Your answer is kept and will be sent.',
  moreButtons: 'and {n} more answers, on the portal',
  retry: 'Retry',
  reply: 'Reply',
  replyPlaceholder: 'Reply…',
  send: 'Send',
  replySent: 'Reply sent.',
  webhookLabel: 'Inbound webhook URL',
  webhookHelp: 'In Bitrix24: Developer resources → Other → Inbound webhook, with the “Chat and Notifications (im)” permission.',
  checking: 'Checking…',
  connect: 'Connect',
  portalAddress: 'Portal address',
  clientId: 'Application client ID',
  clientSecret: 'Application client secret',
  oauthHelp: 'A local application in Bitrix24 (Developer resources → Other → Local application) with the “im” permission. Register exactly this handler URL on it (the portal answers only there):',
  signIn: 'Sign in',
  waitingApproval: 'Waiting for approval in the browser…',
  cancelSignIn: 'Cancel',
  signInAgain: 'Sign in again',
  signInAgainHint: 'Opens the portal’s sign-in page in your browser, with the same application. Name, colour, muted categories, read marks and unsent answers stay.',
  handlerUrl: 'Handler URL',
  useOAuth: 'Use an OAuth application instead',
  useWebhook: 'Use an inbound webhook instead',
  settings: 'Settings',
  back: 'Back to notifications',
  portals: 'Portals',
  disconnect: 'Disconnect',
  disconnectConfirm: 'Disconnect {name}? Its saved credentials and unsent answers are deleted.',
  cancel: 'Cancel',
  addPortal: 'Add a portal',
  pollInterval: 'Check for new notifications',
  every: { one: 'every {n} second', other: 'every {n} seconds' } as PluralForms,
  everyMinute: { one: 'every {n} minute', other: 'every {n} minutes' } as PluralForms,
  sound: 'Play a sound for new notifications',
  doNotDisturb: 'Do not disturb',
  dndOff: 'Off',
  dndOn: 'On',
  dndSchedule: 'Every day from',
  dndTo: 'to',
  hideOnBlur: 'Hide the window when it loses focus',
  autostart: 'Start B24 Notify when I log in',
  language: 'Language',
  languageSystem: 'As the system',
  portalName: 'Name of {name}',
  portalColor: 'Colour of {name}',
  portalEnabled: 'Check {name} for notifications',
  portalOff: 'off',
  moveUp: 'Move {name} up',
  moveDown: 'Move {name} down',
  categories: 'Popups by category',
  categoriesHint: 'Unticked categories still arrive in the list and the count, without a popup or sound.',
  categoriesFor: 'Popups by category for {name}',
  pendingUntitled: 'Notification {id}',
  pendingBeforeRemoval: { one: '{n} answer has not reached the portal yet and will be lost:', other: '{n} answers have not reached the portal yet and will be lost:' } as PluralForms,
  allPortals: 'All portals',
  filterByPortal: 'Show notifications from',
  weakSecrets: 'This system has no keyring, so saved credentials are only lightly protected. Install and unlock a keyring (e.g. GNOME Keyring or KWallet) for better protection.',
  status: {
    offline: 'Offline. Notifications resume when the connection is back.',
    paused: 'Paused while the computer sleeps or notifications are paused.',
    'auth-needed': 'The portal rejected the connection (the webhook may have been deleted or its owner deactivated). Reconnect the portal.',
    'scope-missing': 'The webhook lacks the “im” (Chat and Notifications) permission. Add it in Bitrix24 and reconnect.',
    'plan-unavailable': 'REST API is not available on this portal’s plan. It needs a commercial plan or an active trial.',
    'config-error': 'The portal accepts webhooks only over HTTPS (it answered “Https required.”), yet this request reached it as plain HTTP — usually a proxy in front of the portal. Connect it with its https:// address, or ask its administrator to pass HTTPS through.',
    'rate-limited': 'The portal is limiting requests. Notifications resume automatically.',
    error: 'The portal cannot be reached right now. Retrying automatically.',
    'portal-moved': 'The portal answered that it moved to {address}. Use the new address? Nothing is sent until you agree.',
    'portal-redirect-unsafe': 'The portal answered with a redirect to an address where B24 Notify will not send your credentials. Check the portal’s address and reconnect it in Settings.',
  },
  refusal: {
    'unknown-item': 'This notification is no longer in the inbox.',
    'already-answered': 'This notification was already answered.',
    'unknown-value': 'That is not one of this notification’s buttons.',
    'answer-in-progress': 'An answer to this notification is still being sent.',
    'empty-answer': 'Write a reply first.',
    'answer-too-long': 'This reply is too long.',
    'cannot-answer': 'This notification does not accept a reply.',
    'not-a-confirm': 'This notification has no buttons to answer.',
    internal: 'Something went wrong in B24 Notify; the details are in the log.',
  } as Record<string, string>,
  connectRefusal: {
    empty: 'Paste the inbound webhook URL from your Bitrix24 portal.',
    'not-a-url': 'This is not a web address. Paste the webhook URL, e.g. https://your.bitrix24.com/rest/1/abc123/.',
    'already-connected': 'This portal and user are already connected as “{name}”. To give it a new webhook, use Reconnect in its card in Settings.',
    'other-portal': 'This webhook belongs to another portal or user than “{name}”. Paste a webhook of the same user on {host}, or add it as a new portal.',
    'https-required': 'The portal address must start with https:// (plain http is allowed only for this computer).',
    'credentials-in-url': 'The address must not contain a user name or password before the host.',
    'bad-webhook-path': 'This is not a complete webhook URL: it should look like https://your.bitrix24.com/rest/<user id>/<code>/.',
    'not-a-webhook': 'This is the portal’s address, not a webhook. Paste the whole inbound webhook URL.',
    'missing-im': 'This webhook lacks the “im” (Chat and Notifications) permission — it has: {scopes}. Edit the webhook in Bitrix24, tick it, and paste the URL again.',
    auth: 'The portal rejected this webhook (wrong code, deleted, or its owner deactivated). Check the URL.',
    plan: 'REST API is not available on this portal’s plan.',
    transient: 'Cannot reach the portal. Check the address and the network connection.',
    'missing-client': 'Enter the application’s client ID and client secret from Bitrix24.',
    'redirect-port-busy': 'Port 47651 on this computer is in use; close what uses it and try again.',
    'approval-timeout': 'No approval arrived from the portal. Try again, and approve the app in the browser.',
    'approval-denied': 'The portal did not approve the application.',
  } as Record<string, string>,
  /** The sign-in (OAuth) form's own words: never the webhook form's hints. */
  signInRefusal: {
    'not-a-url': 'This is not a web address. Type the portal’s address, e.g. https://your.bitrix24.com.',
    'not-a-portal': '{host} does not answer as a Bitrix24 portal. Check the address, e.g. https://your.bitrix24.com.',
    'https-required': 'The portal address must start with https:// (plain http is allowed only for this computer).',
    'credentials-in-url': 'The address must not contain a user name or password before the host.',
    'already-connected': 'This portal and user are already connected as “{name}”.',
    'other-portal': 'You signed in as another user or portal than “{name}”. Sign in as the same user, or add it as a new portal.',
    'missing-im': 'This application lacks the “im” (Chat and Notifications) permission — it has: {scopes}. Add it to the application in Bitrix24 and sign in again.',
    auth: 'The portal refused the sign-in. Check the client ID and secret, and try again.',
    plan: 'REST API is not available on this portal’s plan.',
    transient: 'Cannot reach the portal. Check the address and the network connection.',
    'missing-client': 'Enter the application’s client ID and client secret from Bitrix24.',
    'redirect-port-busy': 'Port 47651 on this computer is in use; close what uses it and try again.',
    'approval-timeout': 'No answer from the portal. If you approved, check that the application’s handler URL is exactly {handlerUrl}; if the portal showed an error, the sign-in was refused. Then try again.',
    'approval-denied': 'The portal did not approve the application.',
    'sign-in-cancelled': 'Sign-in cancelled.',
  } as Record<string, string>,
};

type Messages = typeof en;

const ru: Messages = {
  appName: 'B24 Notify',
  unread: { one: '{n} непрочитанное', few: '{n} непрочитанных', many: '{n} непрочитанных', other: '{n} непрочитанного' },
  markAllRead: 'Прочитать все',
  markRead: 'Прочитано',
  dismiss: 'Удалить',
  openPortal: 'Открыть портал',
  dismissItem: 'Удалить «{title}»',
  tryAgain: 'Повторить',
  useNewAddress: 'Перейти на новый адрес',
  dismissNotice: 'Понятно',
  reconnect: 'Подключить заново',
  reconnectFor: 'Подключить заново {name}',
  reconnectHint: 'Новый адрес входящего вебхука того же пользователя этого портала. Название, цвет, категории и неотправленные ответы сохранятся.',
  reconnected: '{name} снова подключён.',
  loading: 'Загрузка…',
  outsideApp: 'Окно B24 Notify открыто вне приложения.',
  connectPrompt: 'Подключите портал Битрикс24, чтобы видеть здесь его уведомления.',
  empty: 'Уведомлений нет. Новые появятся здесь и в системных уведомлениях.',
  needsAnswer: 'Ждут вашего ответа',
  notifications: 'Уведомления',
  notification: 'Уведомление',
  deletedUser: 'Удалённый пользователь',
  unreadMark: 'Не прочитано',
  answerGroup: 'Ответ',
  sending: 'Отправка…',
  answerSent: 'Ответ отправлен.',
  youChose: 'Вы выбрали «{label}».',
  alreadyAnswered: 'Уже отвечено в другом месте или уведомление удалено.',
  answerKept: 'Портал сейчас недоступен. Ваш ответ сохранён и будет отправлен.',
  moreButtons: 'и ещё ответов на портале: {n}',
  retry: 'Повторить',
  reply: 'Ответить',
  replyPlaceholder: 'Ответить…',
  send: 'Отправить',
  replySent: 'Ответ отправлен.',
  webhookLabel: 'Адрес входящего вебхука',
  webhookHelp: 'В Битрикс24: Разработчикам → Другое → Входящий вебхук, с правом «Чат и уведомления (im)».',
  checking: 'Проверка…',
  connect: 'Подключить',
  portalAddress: 'Адрес портала',
  clientId: 'Код приложения (client_id)',
  clientSecret: 'Ключ приложения (client_secret)',
  oauthHelp: 'Локальное приложение в Битрикс24 (Разработчикам → Другое → Локальное приложение) с правом «im». Укажите в нём ровно этот адрес обработчика (портал отвечает только туда):',
  signIn: 'Войти',
  waitingApproval: 'Ждём подтверждения в браузере…',
  cancelSignIn: 'Отмена',
  signInAgain: 'Войти снова',
  signInAgainHint: 'Откроет страницу входа портала в браузере, с тем же приложением. Название, цвет, отключённые категории, отметки о прочтении и неотправленные ответы сохранятся.',
  handlerUrl: 'Адрес обработчика',
  useOAuth: 'Подключить через OAuth-приложение',
  useWebhook: 'Подключить через входящий вебхук',
  settings: 'Настройки',
  back: 'К уведомлениям',
  portals: 'Порталы',
  disconnect: 'Отключить',
  disconnectConfirm: 'Отключить {name}? Сохранённые данные входа и неотправленные ответы будут удалены.',
  cancel: 'Отмена',
  addPortal: 'Добавить портал',
  pollInterval: 'Проверять новые уведомления',
  every: { one: 'каждую {n} секунду', few: 'каждые {n} секунды', many: 'каждые {n} секунд', other: 'каждые {n} секунды' },
  everyMinute: { one: 'каждую {n} минуту', few: 'каждые {n} минуты', many: 'каждые {n} минут', other: 'каждые {n} минуты' },
  sound: 'Звук при новых уведомлениях',
  doNotDisturb: 'Не беспокоить',
  dndOff: 'Выключено',
  dndOn: 'Включено',
  dndSchedule: 'Каждый день с',
  dndTo: 'до',
  hideOnBlur: 'Скрывать окно, когда оно теряет фокус',
  autostart: 'Запускать B24 Notify при входе в систему',
  language: 'Язык',
  languageSystem: 'Как в системе',
  portalName: 'Название портала {name}',
  portalColor: 'Цвет портала {name}',
  portalEnabled: 'Проверять уведомления портала {name}',
  portalOff: 'выключен',
  moveUp: 'Переместить {name} выше',
  moveDown: 'Переместить {name} ниже',
  categories: 'Всплывающие уведомления по категориям',
  categoriesHint: 'Снятые категории по-прежнему попадают в список и счётчик, но без всплывающего окна и звука.',
  categoriesFor: 'Всплывающие уведомления по категориям для {name}',
  pendingUntitled: 'Уведомление {id}',
  pendingBeforeRemoval: {
    one: '{n} ответ ещё не дошёл до портала и будет потерян:',
    few: '{n} ответа ещё не дошли до портала и будут потеряны:',
    many: '{n} ответов ещё не дошли до портала и будут потеряны:',
    other: '{n} ответа ещё не дошли до портала и будут потеряны:',
  },
  allPortals: 'Все порталы',
  filterByPortal: 'Показывать уведомления',
  weakSecrets: 'В системе нет хранилища ключей, поэтому данные входа защищены слабо. Установите и разблокируйте хранилище (например, GNOME Keyring или KWallet).',
  status: {
    offline: 'Нет сети. Уведомления возобновятся, когда связь появится.',
    paused: 'Приостановлено: компьютер спит или уведомления на паузе.',
    'auth-needed': 'Портал отклонил подключение (вебхук мог быть удалён или его владелец отключён). Подключите портал заново.',
    'scope-missing': 'У вебхука нет права «im» (Чат и уведомления). Добавьте его в Битрикс24 и подключитесь заново.',
    'plan-unavailable': 'REST API недоступен на тарифе этого портала. Нужен коммерческий тариф или пробный период.',
    'config-error': 'Портал принимает вебхуки только по HTTPS (ответ «Https required.»), а запрос дошёл до него по HTTP — обычно из-за прокси перед порталом. Подключите портал по адресу https:// или попросите администратора пропускать HTTPS.',
    'rate-limited': 'Портал ограничивает число запросов. Уведомления возобновятся автоматически.',
    error: 'Портал сейчас недоступен. Повторяем автоматически.',
    'portal-moved': 'Портал сообщил, что переехал на {address}. Перейти на новый адрес? До вашего согласия ничего не отправляется.',
    'portal-redirect-unsafe': 'Портал перенаправляет на адрес, куда B24 Notify не будет отправлять ваши данные входа. Проверьте адрес портала и подключите его заново в настройках.',
  },
  refusal: {
    'unknown-item': 'Этого уведомления уже нет во входящих.',
    'already-answered': 'На это уведомление уже ответили.',
    'unknown-value': 'У этого уведомления нет такой кнопки.',
    'answer-in-progress': 'Ответ на это уведомление ещё отправляется.',
    'empty-answer': 'Сначала напишите ответ.',
    'answer-too-long': 'Ответ слишком длинный.',
    'cannot-answer': 'На это уведомление нельзя ответить текстом.',
    'not-a-confirm': 'У этого уведомления нет кнопок.',
    internal: 'В B24 Notify что-то пошло не так; подробности в журнале.',
  },
  connectRefusal: {
    empty: 'Вставьте адрес входящего вебхука вашего портала Битрикс24.',
    'already-connected': 'Этот портал и пользователь уже подключены как «{name}». Новый вебхук задаётся кнопкой «Подключить заново» в его карточке в настройках.',
    'other-portal': 'Этот вебхук относится к другому порталу или пользователю, чем «{name}». Вставьте вебхук того же пользователя на {host} или добавьте его как новый портал.',
    'not-a-url': 'Это не веб-адрес. Вставьте адрес вебхука, например https://your.bitrix24.ru/rest/1/abc123/.',
    'https-required': 'Адрес портала должен начинаться с https:// (http допустим только для этого компьютера).',
    'credentials-in-url': 'В адресе не должно быть имени пользователя или пароля перед именем хоста.',
    'bad-webhook-path': 'Это неполный адрес вебхука: он выглядит как https://your.bitrix24.ru/rest/<id пользователя>/<код>/.',
    'not-a-webhook': 'Это адрес портала, а не вебхука. Вставьте полный адрес входящего вебхука.',
    'missing-im': 'У этого вебхука нет права «im» (Чат и уведомления) — есть: {scopes}. Отредактируйте вебхук в Битрикс24, отметьте право и вставьте адрес снова.',
    auth: 'Портал отклонил этот вебхук (неверный код, вебхук удалён или его владелец отключён). Проверьте адрес.',
    plan: 'REST API недоступен на тарифе этого портала.',
    transient: 'Портал недоступен. Проверьте адрес и подключение к сети.',
    'missing-client': 'Введите код и ключ приложения из Битрикс24.',
    'redirect-port-busy': 'Порт 47651 на этом компьютере занят; закройте занявшую его программу и попробуйте снова.',
    'approval-timeout': 'Портал не прислал подтверждение. Попробуйте снова и подтвердите доступ в браузере.',
    'approval-denied': 'Портал не подтвердил доступ приложению.',
  },
  signInRefusal: {
    'not-a-url': 'Это не веб-адрес. Введите адрес портала, например https://your.bitrix24.ru.',
    'not-a-portal': '{host} не отвечает как портал Битрикс24. Проверьте адрес, например https://your.bitrix24.ru.',
    'https-required': 'Адрес портала должен начинаться с https:// (http допустим только для этого компьютера).',
    'credentials-in-url': 'В адресе не должно быть имени пользователя или пароля перед именем хоста.',
    'already-connected': 'Этот портал и пользователь уже подключены как «{name}».',
    'other-portal': 'Вы вошли как другой пользователь или на другой портал, чем «{name}». Войдите тем же пользователем или добавьте его как новый портал.',
    'missing-im': 'У этого приложения нет права «im» (Чат и уведомления) — есть: {scopes}. Добавьте его приложению в Битрикс24 и войдите снова.',
    auth: 'Портал отклонил вход. Проверьте код и ключ приложения и попробуйте снова.',
    plan: 'REST API недоступен на тарифе этого портала.',
    transient: 'Портал недоступен. Проверьте адрес и подключение к сети.',
    'missing-client': 'Введите код и ключ приложения из Битрикс24.',
    'redirect-port-busy': 'Порт 47651 на этом компьютере занят; закройте занявшую его программу и попробуйте снова.',
    'approval-timeout': 'Портал не ответил. Если вы подтвердили доступ, проверьте, что адрес обработчика приложения — ровно {handlerUrl}; если портал показал ошибку, вход отклонён. Затем попробуйте снова.',
    'approval-denied': 'Портал не подтвердил доступ приложению.',
    'sign-in-cancelled': 'Вход отменён.',
  },
};

const CATALOGUES: Record<Language, Messages> = { en, ru };

export function systemLanguage(languages: readonly string[] = navigator.languages): Language {
  return languages.some((tag) => tag.toLowerCase().startsWith('ru')) && !languages[0]?.toLowerCase().startsWith('en') ? 'ru' : 'en';
}

function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

class I18n {
  language = $state<Language>(systemLanguage());

  /** Applies the Settings choice: a language, or 'system'. */
  choose(choice: Language | 'system'): void {
    this.language = choice === 'system' ? systemLanguage() : choice;
  }

  get messages(): Messages {
    return CATALOGUES[this.language];
  }

  /** A plain message with `{name}` placeholders filled. */
  t(key: { [K in keyof Messages]: Messages[K] extends string ? K : never }[keyof Messages], params: Record<string, string | number> = {}): string {
    return fill(this.messages[key], params);
  }

  /** A message with plural forms, chosen for `count` by the language's rules. */
  plural(key: 'unread' | 'every' | 'everyMinute' | 'pendingBeforeRemoval', count: number): string {
    const forms = this.messages[key];
    const form = pluralRulesFor(this.language).select(count);
    return fill(forms[form] ?? forms.other, { n: count });
  }

  /** A message from a group (statuses, refusals), or `fallback` when the group has none for `code`. */
  pick(group: 'status' | 'refusal' | 'connectRefusal' | 'signInRefusal', code: string, fallback: string, params: Record<string, string> = {}): string {
    const text = (this.messages[group] as Record<string, string>)[code];
    return text ? fill(text, params) : fallback;
  }
}

export const i18n = new I18n();
