/** Claimable Merkle rewards (GET /api/rewards/proof, served by the payout pipeline). */
import { type ApiClient, ApiError } from "./client.ts";
import type { ProofItem } from "./models.ts";

/** The member's proofs; none when this deployment runs without the pipeline's endpoint. */
export async function loadProofs(api: ApiClient): Promise<ProofItem[]> {
  try {
    const { items } = await api.get<{ items: ProofItem[] }>("/api/rewards/proof");
    return items;
  } catch (error) {
    if (error instanceof ApiError && error.code === "route_not_found") return [];
    throw error;
  }
}
