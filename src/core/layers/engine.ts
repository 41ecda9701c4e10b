/**
 * What runs a test plan: `cargo test` as the reference does, or
 * cargo-nextest. Both build and list a selection the same way for the plan
 * and the zero-test guard, and run one layer into the same results model, so
 * every rendering is the same whichever engine ran.
 */
import type { BuildOutcome } from '../cargo/build.js'
import type { TestListing } from '../cargo/listing.js'
import type { LayerContext } from './layer-run.js'
import type { LayerName, RunNote, ShardRun } from './results.js'
import type { TestPlan } from './plan.js'

/** One engine's build, listing and layer run. */
export interface TestEngine {
  /** `cargo` or `nextest`, as the `runner` setting names it. */
  name: 'cargo' | 'nextest'
  /**
   * Builds one feature set's targets (all test targets when none are named);
   * undefined when there is nothing to build (a prebuilt nextest archive).
   */
  build(features: string, targets: string[]): Promise<BuildOutcome | undefined>
  /**
   * Lists one feature set's targets, ignored tests included.
   * @throws Error with the tool's own words when listing fails.
   */
  list(features: string, targets: string[]): Promise<TestListing>
  /**
   * This shard's part of the plan, and its share in words; the engine
   * applies what it keeps back (nextest's partition) when it runs.
   */
  shard(plan: TestPlan, listing: TestListing): EngineShare
  /** Runs one layer's cases and adds the layer's result to the record. */
  runLayer(ctx: LayerContext, layer: LayerName): Promise<void>
}

/** A shard's part of the plan, how it was dealt, and what the run should say of it. */
export interface EngineShare {
  plan: TestPlan
  share: ShardRun['share']
  dealtBy: NonNullable<ShardRun['dealtBy']>
  expectedSeconds?: number[]
  notes: RunNote[]
}
