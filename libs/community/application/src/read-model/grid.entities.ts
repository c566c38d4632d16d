import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The grid directory: the posted profile of every grid, scoped by the grid unit's path. */
@Entity({ name: 'community_grids' })
@Index('ix_community_grids_community', ['communityId'])
@Index('ix_community_grids_owning_path', ['owningOrgPath'])
export class GridRow {
  @PrimaryColumn({ name: 'grid_id', type: 'varchar', length: 64 })
  gridId!: string;

  @Column({ name: 'community_id', type: 'varchar', length: 64 })
  communityId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 1000 })
  area!: string;

  @Column({ name: 'worker_staff_id', type: 'varchar', length: 64 })
  workerStaffId!: string;

  @Column({ name: 'supervision_phone', type: 'varchar', length: 32 })
  supervisionPhone!: string;

  /** active | retired */
  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'owning_org_path', type: 'varchar', length: 1100 })
  owningOrgPath!: string;

  @Column({ name: 'defined_at', type: 'varchar', length: 40 })
  definedAt!: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 40 })
  updatedAt!: string;

  @Column({ type: 'integer' })
  revision!: number;
}

export const GRID_READ_MODEL_ENTITIES = [GridRow];
