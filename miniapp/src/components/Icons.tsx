/** Tab bar icons (28×28, currentColor), inline so they cost no requests. */
import type { ReactNode } from "react";

function Icon({ children }: { children: ReactNode }) {
  return (
    <svg
      width={28}
      height={28}
      viewBox="0 0 28 28"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      {children}
    </svg>
  );
}

export const HomeIcon = () => (
  <Icon>
    <path d="M4 13 14 4l10 9" />
    <path d="M7 11v12h14V11" />
  </Icon>
);
export const InviteIcon = () => (
  <Icon>
    <circle cx="11" cy="10" r="4" />
    <path d="M4 23c0-4 3-7 7-7s7 3 7 7" />
    <path d="M21 9v8M17 13h8" />
  </Icon>
);
export const PeopleIcon = () => (
  <Icon>
    <circle cx="10" cy="10" r="3.5" />
    <circle cx="19" cy="11" r="3" />
    <path d="M3.5 22c0-3.6 2.9-6.5 6.5-6.5s6.5 2.9 6.5 6.5" />
    <path d="M17 16.2c.6-.2 1.3-.2 2-.2 3 0 5.5 2.5 5.5 5.5" />
  </Icon>
);
export const RewardsIcon = () => (
  <Icon>
    <rect x="4" y="11" width="20" height="13" rx="2" />
    <path d="M14 11v13M4 16h20" />
    <path d="M14 11c-2-4-7-5-7-2s5 2 7 2c2 0 7 1 7-2s-5-2-7 2Z" />
  </Icon>
);
export const WalletIcon = () => (
  <Icon>
    <rect x="3.5" y="7" width="21" height="16" rx="3" />
    <path d="M3.5 11h21M18 16.5h2.5" />
    <path d="M7 7l10-3 1.5 3" />
  </Icon>
);
