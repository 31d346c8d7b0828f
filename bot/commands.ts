/** The bot's commands, in menu order (the menus, the group answer and the admin guard use them). */
export const MEMBER_COMMANDS = [
  "start",
  "invite",
  "stats",
  "top",
  "balance",
  "rewards",
  "wallet",
  "login",
  "rules",
  "terms",
  "country",
  "export",
  "delete",
  "language",
  "help",
];
export const ADMIN_COMMANDS = [
  "admin",
  "review",
  "pause",
  "resume",
  "broadcast",
  "role",
  "unrole",
  "exclude",
  "include",
];
