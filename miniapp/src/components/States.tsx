/** Loading, empty and error states every screen uses, and the localized problem text. */
import {
  Button,
  Placeholder,
  Section,
  Skeleton,
  Snackbar,
  Spinner,
} from "@telegram-apps/telegram-ui";
import type { ReactNode } from "react";
import type { ApiError } from "../api/client.ts";
import { useApp } from "../context.ts";

/** The member-facing text for an API problem code (falls back to a generic message). */
export function useProblemText(): (error: { code: string } | null | undefined) => string {
  const { t } = useApp();
  return (error) => {
    if (!error) return "";
    const text = t(`problem.${error.code}`);
    return text === `problem.${error.code}` ? t("problem.unknown") : text;
  };
}

export function Loading({ label }: { label?: string }) {
  const { t } = useApp();
  return (
    <div className="state" role="status" aria-busy="true" data-state="loading">
      <Spinner size="m" />
      <span className="hint">{label ?? t("state.loading")}</span>
    </div>
  );
}

/** Placeholder rows while a section loads (keeps the layout from jumping). */
export function SkeletonRows({ rows = 3 }: { rows?: number }) {
  return (
    <Section aria-busy="true" data-state="loading">
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
        <Skeleton key={i} visible>
          <div className="skeleton-row" />
        </Skeleton>
      ))}
    </Section>
  );
}

export function Empty({
  title,
  description,
  action,
}: {
  title: string;
  description?: string;
  action?: ReactNode;
}) {
  return (
    <Placeholder data-state="empty" header={title} description={description} action={action} />
  );
}

export function ErrorState({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t } = useApp();
  const text = useProblemText();
  return (
    <Placeholder
      data-state="error"
      data-problem={error.code}
      header={t("state.error")}
      description={text(error)}
      action={
        onRetry ? (
          <Button size="m" mode="bezeled" onClick={onRetry}>
            {t("action.retry")}
          </Button>
        ) : undefined
      }
    />
  );
}

export function Toast({ text, onClose }: { text: string | null; onClose: () => void }) {
  if (!text) return null;
  return (
    <Snackbar className="toast" duration={2500} onClose={onClose} data-testid="toast">
      {text}
    </Snackbar>
  );
}

/** The "more" button under a paged list, while there is a next page (`cursor` not null). */
export function MoreButton(p: { cursor: number | null; loading: boolean; onMore: () => void }) {
  const { t } = useApp();
  if (p.cursor === null) return null;
  return (
    <div className="actions">
      <Button size="m" mode="plain" loading={p.loading} onClick={p.onMore}>
        {t("action.more")}
      </Button>
    </div>
  );
}
