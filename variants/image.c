// SPDX-License-Identifier: GPL-2.0
/*
 * Map the code image: a memfd mapped executable (twice: near, and
 * TB_FAR_DISTANCE away for out-of-range targets) and writable (the alias
 * through which it is patched), then find a patch path that the CPU, or
 * the emulator, actually sees; and hand it to the registry.  The user
 * space half of the variants: the rest reads descriptors and writes
 * through tb_image_write_text() and tb_image_write_u64().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arch.h"
#include "image.h"
#include "registry.h"

#ifndef PROT_BTI
#define PROT_BTI 0x10 /* arm64: uapi/asm/mman.h */
#endif

#define ALIGN_64K(x) (((size_t)(x) + 0xffff) & ~(size_t)0xffff)

extern const uint8_t tb_image_blob_start[], tb_image_blob_end[];

static struct tb_image *current;

struct tb_image *tb_image_current(void)
{
	return current;
}

const char *tb_patch_mode_name(enum tb_patch_mode mode)
{
	static const char *const names[] = {
		[TB_PATCH_ALIAS] = "alias",
		[TB_PATCH_MPROTECT] = "mprotect",
		[TB_PATCH_RWX] = "rwx",
	};
	return names[mode];
}

bool tb_image_in_text(const struct tb_image *img, const void *addr)
{
	const uint8_t *p = addr;

	return (p >= img->exec && p < img->exec + img->text_size) ||
	       (p >= img->far && p < img->far + img->text_size);
}

void *tb_image_far(const struct tb_image *img, const void *addr)
{
	return img->far + ((const uint8_t *)addr - img->exec);
}

static uint8_t *alias_of(const struct tb_image *img, const void *addr)
{
	const uint8_t *p = addr;

	if (p >= img->far && p < img->far + img->size)
		return img->alias + (p - img->far);
	return img->alias + (p - img->exec);
}

static void store(void *dst, const void *src, size_t len)
{
	/* Aligned 4/8-byte writes as one store: a racing CPU sees old or new. */
	if (len == 4 && !((uintptr_t)dst & 3))
		__atomic_store_n((uint32_t *)dst, *(const uint32_t *)src,
				 __ATOMIC_RELAXED);
	else if (len == 8 && !((uintptr_t)dst & 7))
		__atomic_store_n((uint64_t *)dst, *(const uint64_t *)src,
				 __ATOMIC_RELAXED);
	else
		memcpy(dst, src, len);
}

/* mprotect the pages holding [addr, addr + len). */
static int text_protect(void *addr, size_t len, int prot)
{
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t start = (uintptr_t)addr & ~(page - 1);
	uintptr_t end = ((uintptr_t)addr + len + page - 1) & ~(page - 1);

	return mprotect((void *)start, end - start, prot);
}

void (*tb_text_trace)(enum tb_text_op op, const void *addr, size_t len,
		      const void *bytes);

void tb_image_sync_text(void *addr, size_t len)
{
	if (tb_text_trace)
		tb_text_trace(TB_TEXT_SYNC, addr, len, NULL);
	__builtin___clear_cache((char *)addr, (char *)addr + len);
}

void tb_image_write_text(struct tb_image *img, void *addr, const void *src,
			 size_t len)
{
	switch (img->mode) {
	case TB_PATCH_ALIAS:
		store(alias_of(img, addr), src, len);
		break;
	case TB_PATCH_MPROTECT:
		/*
		 * Writable and executable for the write only: other threads
		 * may be running this page and must not fault.
		 */
		if (text_protect(addr, len, img->exec_prot | PROT_WRITE))
			perror("trampbench: mprotect");
		store(addr, src, len);
		if (text_protect(addr, len, img->exec_prot))
			perror("trampbench: mprotect");
		break;
	case TB_PATCH_RWX:
		store(addr, src, len);
		break;
	}
	if (tb_text_trace)
		tb_text_trace(TB_TEXT_WRITE, addr, len, src);
	tb_image_sync_text(addr, len);
}

void tb_image_write_u64(struct tb_image *img, void *addr, uint64_t val)
{
	/* Data is coherent between the two mappings, even under qemu-user. */
	store(alias_of(img, addr), &val, sizeof(val));
}

static int map_view(struct tb_image *img, uint8_t *at, int fd)
{
	const struct {
		size_t start, end;
		int prot;
	} parts[] = {
		{ 0, img->text_size, img->exec_prot },
		{ img->text_size, img->rodata_end, PROT_READ },
		{ img->rodata_end, img->size, PROT_READ | PROT_WRITE },
	};

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (mmap(at + parts[i].start, parts[i].end - parts[i].start,
			 parts[i].prot, MAP_SHARED | MAP_FIXED, fd,
			 parts[i].start) == MAP_FAILED)
			return -errno;
	}
	return 0;
}

/* Pointers start as (where, what) offset pairs: make them addresses. */
static void apply_init(struct tb_image *img)
{
	const struct tb_image_header *h =
		(const void *)img->alias; /* the blob's own header */
	const int64_t *e = tb_rel(&h->init);
	size_t n = h->init_size / sizeof(*e);

	for (size_t i = 0; i < n; i += 2) {
		uint8_t *where = tb_rel(&e[i]);
		uint8_t *what = tb_rel(&e[i + 1]);
		uint64_t v = (uint64_t)(uintptr_t)(img->exec +
						   (what - img->alias));

		memcpy(where, &v, sizeof(v));
	}
}

/* Patch the probe to return v through the current mode; did it? */
static bool probe_sees(struct tb_image *img, unsigned int v)
{
	long (*probe)(void) = tb_rel(&img->hdr->probe);
	uint8_t buf[16];
	size_t off, len = tb_arch_probe_patch(buf, v, &off);

	probe(); /* run the old code first, so an emulator has translated it */
	tb_image_write_text(img, (uint8_t *)probe + off, buf, len);
	return probe() == (long)v;
}

static int choose_patch_mode(struct tb_image *img)
{
	img->mode = TB_PATCH_ALIAS;
	if (probe_sees(img, 2))
		return 0;
	fprintf(stderr,
		"trampbench: code written through the alias mapping is not seen (an emulator such as qemu-user?); patching with mprotect toggling instead\n");
	img->mode = TB_PATCH_MPROTECT;
	if (probe_sees(img, 3))
		return 0;
	fprintf(stderr,
		"trampbench: code written with mprotect toggling is not seen; mapping the code image read-write-execute\n");
	img->mode = TB_PATCH_RWX;
	img->exec_prot |= PROT_WRITE;
	if (mprotect(img->exec, img->text_size, img->exec_prot) ||
	    mprotect(img->far, img->text_size, img->exec_prot))
		return -errno;
	if (probe_sees(img, 4))
		return 0;
	fprintf(stderr,
		"trampbench: patched code is never seen by this CPU; refusing to run stale code\n");
	return -ENOEXEC;
}

static int load_fail(struct tb_image *img, int err, const char *what)
{
	fprintf(stderr, "trampbench: cannot map the code image: %s: %s\n",
		what, strerror(-err));
	tb_image_unload(img);
	return err;
}

int tb_image_load(struct tb_image *img)
{
	const struct tb_image_header *blob = (const void *)tb_image_blob_start;
	size_t size = tb_image_blob_end - tb_image_blob_start;
	void *reserve;
	int fd, err;

	memset(img, 0, sizeof(*img));
	if (size < sizeof(*blob) || memcmp(blob->magic, TB_IMAGE_MAGIC, 8))
		return load_fail(img, -ENOEXEC, "bad image header");
	img->size = (const uint8_t *)tb_rel(&blob->image_end) -
		    tb_image_blob_start;
	/* image.lds starts each part on a 64 KiB boundary. */
	img->text_size = ALIGN_64K((const uint8_t *)tb_rel(&blob->text_end) -
				   tb_image_blob_start);
	img->rodata_end = ALIGN_64K((const uint8_t *)tb_rel(&blob->rodata_end) -
				    tb_image_blob_start);
	if (img->size > size)
		return load_fail(img, -ENOEXEC, "truncated image");

	fd = memfd_create("trampbench-text", MFD_CLOEXEC);
	if (fd < 0)
		return load_fail(img, -errno, "memfd_create");
	if (ftruncate(fd, img->size)) {
		err = -errno;
		close(fd);
		return load_fail(img, err, "ftruncate");
	}
	img->alias = mmap(NULL, img->size, PROT_READ | PROT_WRITE, MAP_SHARED,
			  fd, 0);
	if (img->alias == MAP_FAILED) {
		err = -errno;
		img->alias = NULL;
		close(fd);
		return load_fail(img, err, "mmap alias");
	}
	/*
	 * One reservation holds both executable views, a known distance
	 * apart, at the same address in every run: branch predictors index
	 * by virtual address, and on Zen 5 a trampoline's hot loop measured
	 * 4 cycles per call at some ASLR bases and 5 at others.  Where that
	 * address is taken, the kernel's choice, and img->fixed says so.
	 */
	reserve = mmap((void *)TB_IMAGE_BASE, TB_FAR_DISTANCE + img->size,
		       PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
			       MAP_FIXED_NOREPLACE,
		       -1, 0);
	img->fixed = reserve == (void *)TB_IMAGE_BASE;
	if (reserve != MAP_FAILED && !img->fixed) /* an old kernel's hint */
		munmap(reserve, TB_FAR_DISTANCE + img->size);
	if (!img->fixed)
		reserve = mmap(NULL, TB_FAR_DISTANCE + img->size, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			       0);
	if (reserve == MAP_FAILED) {
		err = -errno;
		close(fd);
		return load_fail(img, err, "reserve address space");
	}
	img->exec = reserve;
	img->far = img->exec + TB_FAR_DISTANCE;
	memcpy(img->alias, tb_image_blob_start, img->size);
	apply_init(img);

	img->exec_prot = PROT_READ | PROT_EXEC;
#ifdef __aarch64__
	/* Guard the text as the kernel's is; kernels without BTI refuse it. */
	img->exec_prot |= PROT_BTI;
	err = map_view(img, img->exec, fd);
	if (err == -EINVAL) {
		img->exec_prot &= ~PROT_BTI;
		err = map_view(img, img->exec, fd);
	}
	img->bti = img->exec_prot & PROT_BTI;
#else
	err = map_view(img, img->exec, fd);
#endif
	if (!err)
		err = map_view(img, img->far, fd);
	close(fd);
	if (err)
		return load_fail(img, err, "mmap text");
	img->hdr = (const void *)img->exec;
	current = img;

	err = tb_arch_patch_init(img);
	if (err)
		return load_fail(img, err, "patching set-up");
	err = choose_patch_mode(img);
	if (err)
		return load_fail(img, err, "no patch path works");
	return 0;
}

void tb_image_unload(struct tb_image *img)
{
	if (img->exec)
		munmap(img->exec, TB_FAR_DISTANCE + img->size);
	if (img->alias)
		munmap(img->alias, img->size);
	if (current == img)
		current = NULL;
	memset(img, 0, sizeof(*img));
}

/* The one image of this process, which the registry indexes. */
static struct tb_image image;

int tb_static_calls_init(void)
{
	char err[256];
	int ret = tb_image_load(&image);

	if (ret)
		return ret;
	ret = tb_registry_init(&image, image.hdr, err, sizeof(err));
	if (ret && *err)
		fprintf(stderr, "trampbench: %s\n", err);
	return ret;
}

void tb_static_calls_exit(void)
{
	tb_registry_exit();
	tb_image_unload(&image);
}
