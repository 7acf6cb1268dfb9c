"""Writing files safely: every file the library and the CLI write (a monitor's saved
state, a report, a generated page) goes through :func:`write_text_atomic`.

The text is written to a temporary file in the same folder, flushed to the disk
(``fsync``), and renamed over the old file (``os.replace``, atomic on POSIX and
Windows). A failure at any step (a full disk, a file-size limit, a folder that is not
writable) removes the temporary file, leaves the old file exactly as it was, and raises
:class:`~emulation_rules.errors.WriteError` naming the file: a daily job that saves its
state over yesterday's never ends with a truncated file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

from emulation_rules.errors import Bilingual, WriteError

_OS_REASONS_VI = {
    errno.ENOENT: "không có tệp này",
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không được phép thực hiện",
    errno.EISDIR: "đây là một thư mục, không phải một tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải là thư mục",
    errno.ENOSPC: "ổ đĩa đã hết dung lượng",
    errno.EDQUOT: "đã vượt hạn mức dung lượng",
    errno.EFBIG: "tệp vượt quá kích thước cho phép",
    errno.EROFS: "hệ thống tệp chỉ cho phép đọc",
    errno.EEXIST: "tệp đã tồn tại",
    errno.ENAMETOOLONG: "tên tệp quá dài",
    errno.ELOOP: "đường dẫn có vòng liên kết",
    errno.EIO: "lỗi đọc/ghi thiết bị",
}


def os_reason(exc: OSError) -> Bilingual:
    """Why an operation on a file failed (its ``strerror``), with the Vietnamese of the
    common reasons (full disk, no permission, no such file); others read
    ``lỗi hệ thống (errno N)`` in Vietnamese."""
    en = exc.strerror or type(exc).__name__
    vi = _OS_REASONS_VI.get(exc.errno or 0)
    if vi is None:
        vi = f"lỗi hệ thống (errno {exc.errno})" if exc.errno else "lỗi hệ thống"
    return Bilingual(en, vi)


def write_text_atomic(
    path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8", parents: bool = False
) -> None:
    """Replace the file at ``path`` by ``text`` (encoded with ``encoding``), all or
    nothing. ``parents``: create the missing folders first. A path that exists and is not
    a regular file (``/dev/stdout``, a named pipe) is written in place. Raises
    :class:`WriteError` (the old file intact, no temporary file left)."""
    target = Path(path)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise WriteError(
            f"cannot write: character {exc.start + 1} cannot be encoded in {encoding}",
            file=str(path),
            message_vi=f"không ghi được: ký tự thứ {exc.start + 1} không mã hóa được "
            f"bằng {encoding}",
        ) from None
    temp: Path | None = None
    try:
        if parents:
            target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() and not target.is_file():
            _write_in_place(target, data)
            return
        temp, fd = _create_temp(target)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            temp.chmod(stat.S_IMODE(target.stat().st_mode))
        temp.replace(target)
        temp = None
        _sync_folder(target.parent)
    except OSError as exc:
        reason = os_reason(exc)
        raise WriteError(
            f"cannot write: {reason}; the file was left as it was",
            file=str(path),
            message_vi=f"không ghi được: {reason.vi}; tệp vẫn giữ nguyên như trước",
        ) from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink()


def _create_temp(target: Path) -> tuple[Path, int]:
    """A new temporary file next to ``target`` (permissions as the umask says)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            return temp, os.open(temp, flags, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(17, "no free temporary file name", str(target.parent))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _write_in_place(target: Path, data: bytes) -> None:
    with target.open("wb") as stream:
        stream.write(data)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (best effort: not every system can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
