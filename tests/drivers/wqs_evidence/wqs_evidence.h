/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wqs_evidence.h - a reference-counted resource table that
 * wqs_evidence_res.c implements and wqs_evidence.c uses, the way
 * drivers/misc/vmw_vmci/vmci_doorbell.c uses vmci_resource.c.
 */
#ifndef WQS_EVIDENCE_H
#define WQS_EVIDENCE_H

#include <linux/completion.h>
#include <linux/kref.h>

struct ev_resource {
	struct kref kref;
	struct completion done;	/* completed by the last put */
};

void ev_resource_init(struct ev_resource *res);
void ev_resource_get(struct ev_resource *res);
void ev_resource_put(struct ev_resource *res);
/* Drops the table's reference and waits until every other one is gone. */
void ev_resource_remove_and_wait(struct ev_resource *res);

/* wqs_evidence.c, for the modules that would use it. */
struct ev_client;
struct ev_ctrl;
struct ev_bell;
struct ev_chime;
struct ev_blk;
struct ev_blk2;
struct gendisk;
int ev_alloc_resource(struct ev_client *c);
int ev_alloc_kicked_resource(struct ev_client *c);
int ev_sync_request(void);
int ev_send_command(struct ev_ctrl *ctrl);
void ev_bell_ring(struct ev_bell *bell);
struct ev_bell *ev_bell_create(void (*notify)(void *data), void *data);
void ev_bell_destroy(struct ev_bell *bell);
void ev_chime_ring(struct ev_chime *chime);
struct ev_chime *ev_chime_create(void);
void ev_chime_destroy(struct ev_chime *chime);
void ev_blk_put(struct ev_blk *b);
void ev_blk2_kick(struct ev_blk2 *b);
struct ev_grp;
void ev_grp_arm(struct ev_grp *g);
int ev_grp_release(struct ev_grp *g);
void ev_blk_attach(struct ev_blk *b, struct ev_blk2 *b2, struct gendisk *disk,
		   struct gendisk *disk2);
int ev_sm_start(void);
int ev_sm2_start(void);
int ev_iso_start(void);

#endif
