/** Shown when Telegram's launch data is refused by the server: nothing else can work. */
import { Placeholder } from "@telegram-apps/telegram-ui";
import type { ApiError } from "../api/client.ts";
import { useProblemText } from "../components/States.tsx";
import { useApp } from "../context.ts";

export function FatalError({ error }: { error: ApiError }) {
  const { t } = useApp();
  const text = useProblemText();
  return (
    <div className="fatal" data-state="fatal" data-problem={error.code}>
      <Placeholder header={t("fatal.title")} description={`${text(error)} ${t("fatal.reopen")}`}>
        <div className="fatal-mark" aria-hidden="true">
          !
        </div>
      </Placeholder>
    </div>
  );
}
