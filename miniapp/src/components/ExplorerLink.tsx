/** A shortened address or hash, linked to the block explorer when one is configured, copyable. */
import { useState } from "react";
import { useApp } from "../context.ts";
import { shortAddress } from "../shared/format.ts";

/**
 * `value` shortened (or `label`); with `link`, an anchor that opens through the Telegram
 * client (a plain navigation would leave the Mini App), else the bare value with the full one
 * as its title. A copy button beside it copies the full value (unless `copy` is false).
 */
export function ExplorerLink({
  value,
  link,
  label,
  copy = label === undefined,
}: {
  value: string;
  link: string | null;
  label?: string;
  copy?: boolean;
}) {
  const { platform, t } = useApp();
  const [copied, setCopied] = useState(false);
  const text = label ?? shortAddress(value);
  return (
    <span className="explorer-link">
      {link ? (
        <a
          href={link}
          target="_blank"
          rel="noopener noreferrer"
          title={value}
          onClick={(e) => {
            e.preventDefault();
            platform.openLink(link);
          }}
        >
          {text}
        </a>
      ) : (
        <code title={value}>{text}</code>
      )}
      {copy ? (
        <button
          type="button"
          className="copy-button"
          data-copy={value}
          aria-label={`${t("action.copy")} ${value}`}
          onClick={(e) => {
            e.stopPropagation();
            void platform.copy(value).then(
              () => {
                platform.haptic("success");
                setCopied(true);
                setTimeout(() => setCopied(false), 1500);
              },
              () => platform.haptic("error"),
            );
          }}
        >
          {copied ? (
            "✓"
          ) : (
            <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">
              <rect
                x="4.5"
                y="4.5"
                width="8"
                height="8"
                rx="1.5"
                fill="none"
                stroke="currentColor"
              />
              <path
                d="M9.5 2.5v-.5a1 1 0 0 0-1-1h-6a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h.5"
                fill="none"
                stroke="currentColor"
              />
            </svg>
          )}
        </button>
      ) : null}
    </span>
  );
}
