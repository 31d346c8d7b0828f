/**
 * The website's entrance. A link from the bot (`/login#token=…`) is exchanged for a session
 * cookie and removed from the address bar at once; without one, the page explains how to get
 * a link from the bot.
 */
import { Button, List, Placeholder, Section, Spinner, Text } from "@telegram-apps/telegram-ui";
import { useEffect, useRef, useState } from "react";
import { ApiError } from "../api/client.ts";
import { useProblemText } from "../components/States.tsx";
import { useApp } from "../context.ts";

function takeToken(): string | null {
  const hash = new URLSearchParams(location.hash.replace(/^#/, ""));
  const token = hash.get("token");
  if (token === null) return null;
  // Never leave a login token in the address bar, history or a screenshot.
  history.replaceState(null, "", location.pathname);
  return token;
}

export default function Login({ onLoggedIn }: { onLoggedIn: () => void }) {
  const { api, t, config, platform } = useApp();
  const problem = useProblemText();
  const [token] = useState(takeToken);
  const [state, setState] = useState<"idle" | "exchanging" | { error: ApiError }>(
    token ? "exchanging" : "idle",
  );
  const started = useRef(false);
  useEffect(() => {
    // Exactly once: the token is single-use, and React may run effects twice in development.
    if (!token || started.current) return;
    started.current = true;
    api.post("/api/web/login", { token }).then(
      () => onLoggedIn(),
      (error: unknown) =>
        setState({
          error: error instanceof ApiError ? error : new ApiError({ status: 0, code: "unknown" }),
        }),
    );
  }, [api, token, onLoggedIn]);

  if (state === "exchanging")
    return (
      <div className="state" data-state="loading">
        <Spinner size="l" />
        <Text>{t("login.signingIn")}</Text>
      </div>
    );
  const bot = `https://t.me/${config.botUsername}`;
  return (
    <List>
      <div data-screen="login" className="narrow">
        <Placeholder
          header={t("login.title")}
          description={
            typeof state === "object" ? (
              <span data-problem={state.error.code} className="error-text">
                {problem(state.error)}
              </span>
            ) : (
              t("login.intro")
            )
          }
        >
          <div className="login-mark" aria-hidden="true">
            R
          </div>
        </Placeholder>
        <Section header={t("login.how")}>
          <div className="steps">
            <ol>
              <li>{t("login.step1", { bot: `@${config.botUsername}` })}</li>
              <li>{t("login.step2")}</li>
              <li>{t("login.step3")}</li>
            </ol>
          </div>
        </Section>
        <div className="actions">
          <Button stretched size="l" onClick={() => platform.openTelegramLink(bot)}>
            {t("login.openBot", { bot: `@${config.botUsername}` })}
          </Button>
        </div>
      </div>
    </List>
  );
}
