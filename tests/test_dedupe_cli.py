"""The ``bibkit dedupe`` command."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bibkit.cli.main import cli

CSV = ('"ID","ENTRYTYPE","title","author","year","journal","volume","pages"\n'
       '"r1","article","Complement dysfunction in hemolytic uremic syndrome","Zipfel, P. F. and Skerka, C.",2006,'
       '"Curr Opin Rheumatol",18,"548-55"\n'
       '"r2","article","Complement Dysfunction in Hemolytic Uremic Syndrome.","Zipfel, Peter F. and Skerka, '
       'Christine",2006,"Current Opinion in Rheumatology",18,"548-555"\n'
       '"r3","article","Editorial","Zipfel, P. F.",2006,"Curr Opin Rheumatol",18,"1"\n')


def test_dedupe_command(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(CSV, encoding="utf-8")
    out, clusters, review = tmp_path / "out.json", tmp_path / "c.json", tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["dedupe", str(src), "-o", str(out), "--clusters", str(clusters),
                                      "--review", str(review), "--explain"])
    assert result.exit_code == 0, result.output
    assert json.loads(clusters.read_text()) == [["r1", "r2"], ["r3"]]
    items = json.loads(out.read_text())
    assert len(items) == 2 and items[0]["author"][0]["given"] == "Peter F."
    assert isinstance(json.loads(review.read_text()), list)
    assert "r1 ~ r2: same [TAY]" in result.output  # --explain goes to stderr (mixed in by CliRunner)
    assert "2 works" in result.output


def test_dedupe_refuses_to_overwrite_input(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(CSV, encoding="utf-8")
    result = CliRunner().invoke(cli, ["dedupe", str(src), "--clusters", str(src)])
    assert result.exit_code == 2 and "also an input" in result.output


def test_same_ids_in_two_inputs_are_qualified(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(CSV, encoding="utf-8")
    b.write_text(CSV, encoding="utf-8")
    clusters = tmp_path / "c.json"
    result = CliRunner().invoke(cli, ["dedupe", str(a), str(b), "-o", str(tmp_path / "o.json"), "--clusters",
                                      str(clusters), "-q"])
    assert result.exit_code == 0, result.output
    groups = json.loads(clusters.read_text())
    assert ["a.csv:r1", "a.csv:r2", "b.csv:r1", "b.csv:r2"] in groups


REVIEW_CSV = ('"ID","ENTRYTYPE","title","author","year","journal","volume","pages"\n'
              '"s1","article","Stroke and aphasia: overcoming the challenges of capacity evaluation",'
              '"Carling-Rowland, A. and Black, S. and Kagan, A.",2010,"Canadian Journal of Neurological Sciences",37,'
              '"S42"\n'
              '"s2","article","Stroke and aphasia; overcoming the challenges of capacity evaluation",'
              '"Carling-Rowland, A. and Black, S. and Kagan, A.",2010,"Stroke",41,"e505"\n'
              '"s3","article","Stroke and aphasia: overcoming the challenges of capacity evaluation",'
              '"Smith, J.",2004,"Aphasiology",18,"1-9"\n')


def test_review_file_ranks_pairs_with_ids_scores_and_short_titles(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(REVIEW_CSV, encoding="utf-8")
    review = tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["dedupe", str(src), "-o", str(tmp_path / "o.json"), "--review", str(review)])
    assert result.exit_code == 0, result.output
    items = json.loads(review.read_text())
    assert [(i["rank"], i["a"], i["b"], i["rule"]) for i in items][:1] == [(1, "s1", "s2", "V-VENUE")]
    assert items[0]["score"] > 0.75 and items[0]["title_a"].startswith("Stroke and aphasia")
    assert all(len(i["title_a"]) <= 90 for i in items)
    assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)
    assert "review_pairs" in result.output or "review" in result.output


# the same paper as a user's own entry and as exported from DBLP (issue 14: merging dropped HeZRS16)
MINE = """@inproceedings{he2016deep,
  author = {He, Kaiming and Zhang, Xiangyu and Ren, Shaoqing and Sun, Jian},
  title = {Deep Residual Learning for Image Recognition},
  booktitle = {Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition (CVPR)},
  pages = {770--778},
  year = {2016},
  doi = {10.1109/CVPR.2016.90}
}
"""
DBLP = """@inproceedings{HeZRS16,
  author    = {Kaiming He and
               Xiangyu Zhang and
               Shaoqing Ren and
               Jian Sun},
  title     = {Deep Residual Learning for Image Recognition},
  booktitle = {2016 {IEEE} Conference on Computer Vision and Pattern Recognition, {CVPR} 2016, Las Vegas,
               NV, USA, June 27-30, 2016},
  pages     = {770--778},
  publisher = {{IEEE} Computer Society},
  year      = {2016},
  doi       = {10.1109/CVPR.2016.90},
  biburl    = {https://dblp.org/rec/conf/cvpr/HeZRS16.bib}
}
@article{resnet_alias,
  ids = {resnet},
  author = {He, Kaiming and Zhang, Xiangyu and Ren, Shaoqing and Sun, Jian},
  title = {Deep Residual Learning for Image Recognition},
  journal = {arXiv preprint arXiv:1512.03385},
  year = {2015},
  eprint = {1512.03385},
  archiveprefix = {arXiv}
}
"""


def test_merged_entry_keeps_every_citation_key_as_an_alias(tmp_path):
    import bibkit

    a, b = tmp_path / "a.bib", tmp_path / "b.bib"
    a.write_text(MINE, encoding="utf-8")
    b.write_text(DBLP, encoding="utf-8")
    runner = CliRunner()
    for command in (["convert", str(a), str(b), "-o", str(tmp_path / "lab.bib")],
                    ["dedupe", str(a), str(b), "-o", str(tmp_path / "lab.bib")],
                    ["dedupe", "--stream", str(a), str(b), "-o", str(tmp_path / "lab.bib")]):
        res = runner.invoke(cli, command)
        assert res.exit_code == 0, res.output
        merged = bibkit.load(tmp_path / "lab.bib").entries
        assert len(merged) == 1, command
        keys = {merged[0].key, *merged[0].extra["ids"].split(",")}
        assert keys == {"he2016deep", "HeZRS16", "resnet_alias", "resnet"}, command
    res = runner.invoke(cli, ["dedupe", str(a), str(b), "--to", "csl-json"])
    item = json.loads(res.stdout)[0]
    assert {item["id"], *item["custom"]["extra"]["ids"].split(",")} == {"he2016deep", "HeZRS16", "resnet_alias",
                                                                         "resnet"}
