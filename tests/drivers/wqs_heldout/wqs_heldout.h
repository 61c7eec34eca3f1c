/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wqs_heldout.h - a hot-plug slot whose work item wqs_heldout_ctrl.c
 * queues (the event handling) and wqs_heldout.c tears down, the way
 * drivers/pci/hotplug/shpchp_ctrl.c and shpchp_core.c share struct slot.
 */
#ifndef WQS_HELDOUT_H
#define WQS_HELDOUT_H

#include <linux/list.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

struct ho_slot {
	struct delayed_work work;	/* queued on wq by ho_slot_press() */
	struct workqueue_struct *wq;
	struct list_head list;
	int number;
};

/* wqs_heldout_ctrl.c: a button press queues the slot's work item. */
void ho_slot_press(struct ho_slot *slot);

/* A capture device whose timer queues its work item (pvrusb2-hdw.c). */
struct ho_hdw {
	struct work_struct work;
	struct timer_list timer;
	int frames;
};

/* wqs_heldout_ctrl.c: tears the device's i2c side down; stops nothing. */
void ho_hdw_i2c_done(struct ho_hdw *hdw);

/* A per-port update request; wqs_heldout_ctrl.c runs and frees it. */
struct ho_demux_work {
	struct work_struct work;
	int port;
};
void wqs_ho_demux_update(struct work_struct *work);

/* wqs_heldout.c: a per-port context on its demultiplexer's queue (P), an
 * xarray cache (Q). */
struct ho_demux;
struct ho_pv_ctx;
struct ho_cache;
void wqs_ho_pv_event(struct ho_pv_ctx *ctx);
struct ho_pv_ctx *wqs_ho_pv_create(struct ho_demux *demux);
void wqs_ho_pv_destroy(struct ho_demux *demux, struct ho_pv_ctx *ctx);
void wqs_ho_pv_destroy2(struct ho_demux *demux, struct ho_pv_ctx *ctx);
int wqs_ho_cache_store(struct ho_cache *c, unsigned long index, void *key);
int wqs_ho_cache_store_counted(struct ho_cache *c, unsigned long index,
			       void *key);

/* wqs_heldout.c: an adapter with a fault-polling work item (R). */
struct ho_ioc;
struct ho_ioc *wqs_ho_ioc_attach(void);
void wqs_ho_ioc_detach(struct ho_ioc *ioc);
void wqs_ho_ioc_detach2(struct ho_ioc *ioc);

/* wqs_heldout.c: runs an extended copy (how: 0, 1 or 2 picks the path). */
int wqs_ho_xcopy(void *cmd, int how);
struct ho_guc;
void wqs_ho_guc_set_prio(struct ho_guc *g, int prio);
void wqs_ho_guc_set_prio_sleepy(struct ho_guc *g, int prio);
struct ho_rpm;
void wqs_ho_rpm_init(struct ho_rpm *d);
struct ho_rdev;
void wqs_ho_rdev_init(struct ho_rdev *d);

/* Sections V to Y of wqs_heldout.c. */
int wqs_ho_execute(int type, void (*fn)(void *), void *ctx);
int wqs_ho_execute_any(int type, void (*fn)(void *), void *ctx);
int wqs_ho_execute_late(void (*fn)(void *), void *ctx);
int wqs_ho_execute_switch(void (*fn)(void *), void *ctx, bool busy);
struct ho_en_priv;
void wqs_ho_en_init(struct ho_en_priv *priv);
int wqs_ho_en_set_rings(struct ho_en_priv *priv, int rings);
int wqs_ho_en_try_rings(struct ho_en_priv *priv, int rings, bool trial);
struct ho_ql;
struct ho_ql2;
struct ho_ql *wqs_ho_ql_create(void);
void wqs_ho_ql_error(struct ho_ql *q);
void wqs_ho_ql_remove(struct ho_ql *q);
struct ho_ql2 *wqs_ho_ql2_create(void);
void wqs_ho_ql2_error(struct ho_ql2 *q);
void wqs_ho_ql2_remove(struct ho_ql2 *q);
struct ho_ql3;
struct ho_ql4;
struct ho_ql3 *wqs_ho_ql3_create(void);
void wqs_ho_ql3_poll(struct ho_ql3 *q);
void wqs_ho_ql3_remove(struct ho_ql3 *q);
struct ho_ql4 *wqs_ho_ql4_create(void);
void wqs_ho_ql4_poll(struct ho_ql4 *q);
void wqs_ho_ql4_remove(struct ho_ql4 *q);
struct net_device;
struct net_device *wqs_ho_gem_create(void);
void wqs_ho_gem_remove(struct net_device *dev);
void wqs_ho_gem_remove_early(struct net_device *dev);
struct net_device *wqs_ho_gem2_create(void);
void wqs_ho_gem2_remove(struct net_device *dev);
struct ho_crb;
void wqs_ho_crb_write(struct ho_crb *c, u32 win);
void wqs_ho_crb_probe(struct ho_crb *c);
void wqs_ho_notes_drain(int count);
void wqs_ho_notes_drain_bad(int count);
struct ho_lp;
void wqs_ho_lp_close(struct ho_lp *e);
void wqs_ho_lp_disconnect_all(void);
void wqs_ho_lp_flush_all(void);

struct ho_iq;
struct ho_oq;
int wqs_ho_iq_send(struct ho_iq *q);
int wqs_ho_oq_send(struct ho_oq *q);
struct ho_glock;
struct ho_plock;
void wqs_ho_glock_queue(struct ho_glock *gl, unsigned long delay);
struct ho_glock *wqs_ho_glock_new(void);
void wqs_ho_glock_put(struct ho_glock *gl);
struct ho_plock *wqs_ho_plock_new(void);
void wqs_ho_plock_kick(struct ho_plock *pl);
void wqs_ho_plock_free(struct ho_plock *pl);
struct ho_bq;

/* FF: a quota info set up by the other file through the super block. */
struct ho_qinfo {
	struct delayed_work sync_work;	/* set up by wqs_ho_qglobal_read() */
	unsigned int flags;
};

struct ho_qsb {
	void *priv;	/* the struct ho_qinfo being read */
};

int wqs_ho_qglobal_read(struct ho_qsb *sb);
int wqs_ho_qread(struct ho_qsb *sb);
int wqs_ho_qread_early(struct ho_qsb *sb);
struct ho_jsuper;
struct ho_jsuper2;
struct ho_journal;
struct ho_journal2;
int wqs_ho_journal_init(struct ho_jsuper *osb);
void wqs_ho_queue_recovery(struct ho_journal *j);
void wqs_ho_recovery_exit(struct ho_jsuper *osb);
void wqs_ho_journal_shutdown(struct ho_jsuper *osb);
int wqs_ho_journal2_init(struct ho_jsuper2 *osb);
void wqs_ho_queue_recovery2(struct ho_journal2 *j);
void wqs_ho_journal2_shutdown(struct ho_jsuper2 *osb);
void wqs_ho_krc_add(void);
void wqs_ho_krc_add_locked(void);
struct ho_cme;
struct ho_cme2;
struct ho_cme *wqs_ho_cme_new(void);
void wqs_ho_cme_retire(struct ho_cme *c);
void wqs_ho_cme_put(struct ho_cme *c);
struct ho_cme2 *wqs_ho_cme2_new(void);
void wqs_ho_cme2_retire(struct ho_cme2 *c);
void wqs_ho_cme2_free(struct ho_cme2 *c);
struct ho_pev;
void wqs_ho_pev_detach(struct ho_pev *e);
void wqs_ho_pev_destroy_aux(struct ho_pev *e);
void wqs_ho_bq_submit(struct ho_bq *q);
void wqs_ho_bq_submit_rcu(struct ho_bq *q);
void wqs_ho_bq_submit_locked(struct ho_bq *q);

struct ho_cmddev;
void wqs_ho_cmd_dequeue(struct ho_cmddev *dev);
struct ho_cmddev *wqs_ho_cmd_new(int irq);
void wqs_ho_cmd_fini(struct ho_cmddev *dev);
struct ho_cmddev2;
void wqs_ho_cmd2_dequeue(struct ho_cmddev2 *dev);
struct ho_cmddev2 *wqs_ho_cmd2_new(int irq);
void wqs_ho_cmd2_fini(struct ho_cmddev2 *dev);
struct ho_lazy;
struct ho_lazy *wqs_ho_lazy_submit(void);
struct ho_lazy *wqs_ho_lazy_submit_raw(void);
#endif
