package org.kmodel.mm.workload.internal;

/** A small open-addressing int to int map (0 means absent) for trace tid to model pid, without boxing. */
final class IntIntMap {
    private int[] keys = new int[64];
    private int[] vals = new int[64];
    private boolean[] used = new boolean[64];
    private int size;

    private int slot(int key, int[] k, boolean[] u) {
        int mask = k.length - 1;
        int i = (key * 0x9E3779B9) >>> 7 & mask;
        while (u[i] && k[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    int get(int key) {
        int i = slot(key, keys, used);
        return used[i] ? vals[i] : 0;
    }

    void put(int key, int val) {
        if (size * 2 >= keys.length) {
            grow();
        }
        int i = slot(key, keys, used);
        if (!used[i]) {
            used[i] = true;
            keys[i] = key;
            size++;
        }
        vals[i] = val;
    }

    /** Removal keeps probing chains intact by storing 0 (absent) instead of freeing the slot. */
    void remove(int key) {
        int i = slot(key, keys, used);
        if (used[i]) {
            vals[i] = 0;
        }
    }

    private void grow() {
        int[] k = new int[keys.length * 2];
        int[] v = new int[keys.length * 2];
        boolean[] u = new boolean[keys.length * 2];
        for (int i = 0; i < keys.length; i++) {
            if (used[i]) {
                int j = slot(keys[i], k, u);
                u[j] = true;
                k[j] = keys[i];
                v[j] = vals[i];
            }
        }
        keys = k;
        vals = v;
        used = u;
    }
}
