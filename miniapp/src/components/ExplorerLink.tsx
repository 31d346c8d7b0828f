/** A shortened address or hash, linked to the block explorer when one is configured. */
import { useApp } from "../context.ts";
import { shortAddress } from "../shared/format.ts";

/**
 * `value` shortened; with `link`, an anchor that opens through the Telegram client (a plain
 * navigation would leave the Mini App), else the bare value with the full one as its title.
 */
export function ExplorerLink({ value, link }: { value: string; link: string | null }) {
  const { platform } = useApp();
  if (!link) return <code title={value}>{shortAddress(value)}</code>;
  return (
    <a
      href={link}
      target="_blank"
      rel="noopener noreferrer"
      onClick={(e) => {
        e.preventDefault();
        platform.openLink(link);
      }}
    >
      {shortAddress(value)}
    </a>
  );
}
